// `#default-client` under the `node` condition (see package.json "imports"): Bun and Deno,
// which also match `node`, are sent to the fetch one before it.
import type { HttpClient } from "@fusio/core";
import { UndiciHttpClient } from "./undici-client.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. On Node it is an `UndiciHttpClient` with its default options (undici's
 * `request()` costs less CPU than Node's fetch and sends buffers without copying them); in
 * browsers, Workers, Bun and Deno a `FetchHttpClient`.
 */
export function defaultHttpClient(): HttpClient {
  return new UndiciHttpClient();
}
