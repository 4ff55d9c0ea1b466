export { DenoHttpClient, type DenoHttpClientOptions } from "./http-client.ts";
