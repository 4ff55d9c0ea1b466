// `#default-client` under the `deno` condition (see package.json "imports"). It must never import
// undici or a `node:` module.
import type { HttpClient } from "@fusio/core";
import { FetchHttpClient } from "./fetch-client.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. In Deno it is a `FetchHttpClient` with one stall timer for all its requests (a
 * timer per request costs Deno ~2 µs), as `DenoHttpClient` of `@fusio/deno` is (which also maps
 * Deno's permission errors).
 */
export function defaultHttpClient(): HttpClient {
  return new FetchHttpClient({ sharedTimer: true });
}
