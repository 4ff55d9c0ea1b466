// `@fusio/http/default-client`: the runtime's default HttpClient, picked by the export
// conditions of `#default-client` in package.json (undici under `node`, fetch elsewhere).
export { defaultHttpClient } from "#default-client";
