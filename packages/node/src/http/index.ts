/**
 * `@fusio/node/http`: an `HttpClient` on undici for the remote backends under Node. The only
 * entry point of `@fusio/node` that loads undici.
 */
export { UndiciHttpClient, type UndiciHttpClientOptions } from "./undici-http-client.ts";
