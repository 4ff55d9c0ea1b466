// How fusio tunes `FetchHttpClient` for the fetch of Bun and of Deno: in one place for the default
// client there (`#default-client`) and for `BunHttpClient` / `DenoHttpClient` of @fusio/bun and
// @fusio/deno, which add their runtime's error codes on top.
import type { FetchHttpClientOptions } from "./fetch-client.ts";

/**
 * In Bun: bodies of known length up to 4 MiB are read whole (a stream reader costs ~15-20% more
 * CPU than one `arrayBuffer()` for 256 KiB and 1 MiB bodies, and catches up at about 4 MiB), the
 * bytes are handed over as the server sent them (Bun's `decompress: false`), and one stall timer
 * serves all of a client's requests.
 */
export const BUN_FETCH_OPTIONS: Readonly<FetchHttpClientOptions> = {
  wholeBodyLimit: 4 * 1024 * 1024,
  sharedTimer: true,
  init: { decompress: false },
};

/** In Deno: one stall timer serves all of a client's requests (a timer per request costs ~2 µs). */
export const DENO_FETCH_OPTIONS: Readonly<FetchHttpClientOptions> = { sharedTimer: true };
