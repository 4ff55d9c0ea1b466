// `#default-client` under the `deno` condition (see package.json "imports"). It must never import
// undici or a `node:` module.
import type { HttpClient } from "@fusio/core";
import { FetchHttpClient } from "./fetch-client.ts";
import { DENO_FETCH_OPTIONS } from "./runtime-fetch-options.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. In Deno it is a `FetchHttpClient` with {@link DENO_FETCH_OPTIONS}, as
 * `DenoHttpClient` of `@fusio/deno` is (which also maps Deno's permission errors).
 */
export function defaultHttpClient(): HttpClient {
  return new FetchHttpClient(DENO_FETCH_OPTIONS);
}
