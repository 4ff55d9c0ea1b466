// `#default-client` under the `bun` condition (see package.json "imports"). It must never import
// undici or a `node:` module.
import type { HttpClient } from "@fusio/core";
import { FetchHttpClient } from "./fetch-client.ts";

/**
 * A new `HttpClient` of the runtime's default kind, what the remote backends use when given no
 * `http` option. In Bun it is a `FetchHttpClient` tuned as `BunHttpClient` of `@fusio/bun` is
 * (which also names Bun's network error codes): bodies of known length up to 4 MiB read whole
 * (in Bun a stream reader costs ~15-20% more CPU than one `arrayBuffer()` up to there), one
 * stall timer for all requests, and no decompression, so a body is the bytes the server sent.
 */
export function defaultHttpClient(): HttpClient {
  return new FetchHttpClient({ wholeBodyLimit: 4 * 1024 * 1024, sharedTimer: true, init: { decompress: false } });
}
