// `#default-client` under the `bun` condition (see package.json "imports"). It must never import
// undici or a `node:` module.
import type { HttpClient } from "@fusio/core";
import { FetchHttpClient } from "./fetch-client.ts";
import { BUN_FETCH_OPTIONS } from "./runtime-fetch-options.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. In Bun it is a `FetchHttpClient` with {@link BUN_FETCH_OPTIONS}, as
 * `BunHttpClient` of `@fusio/bun` is (which also names Bun's network error codes).
 */
export function defaultHttpClient(): HttpClient {
  return new FetchHttpClient(BUN_FETCH_OPTIONS);
}
