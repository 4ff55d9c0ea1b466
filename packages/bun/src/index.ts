export { BunHttpClient, type BunHttpClientOptions } from "./http-client.ts";
