// `#default-client` everywhere but Node (see package.json "imports"): browsers, Workers, Bun,
// Deno. It must never import undici or a `node:` module.
import type { HttpClient } from "@fusio/core";
import { FetchHttpClient } from "./fetch-client.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. In browsers, Workers, Bun and Deno it is a `FetchHttpClient` with its default
 * options; on Node an `UndiciHttpClient`.
 */
export function defaultHttpClient(): HttpClient {
  return new FetchHttpClient();
}
