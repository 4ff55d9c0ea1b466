import { DENO_FETCH_OPTIONS, FetchHttpClient } from "@fusio/http";
import { transportError } from "./internal/errors.ts";

/** Options of {@link DenoHttpClient}. */
export interface DenoHttpClientOptions {
  /**
   * Milliseconds the client waits on the network without progress before it rejects `Timeout`:
   * for the response headers (each chunk of a streamed request body going up restarts it; a
   * buffer body counts as one wait), then for each chunk of the response body. Time the caller
   * spends producing or consuming chunks does not count. `0` turns it off. Default 300 000
   * (undici's).
   */
  timeout?: number | undefined;
}

/**
 * An `HttpClient` on Deno's `fetch`. It is `FetchHttpClient` (`@fusio/http`) configured for Deno. Bodies stream both ways (a chunk iterable is pulled as the
 * socket drains; the response is read as it arrives), redirects are returned rather than
 * followed, and the response body is the stored bytes: the client asks for `identity`
 * encoding unless the request names an `accept-encoding` (Deno decompresses only what it asked
 * to be compressed). A chunk-iterable body is always sent chunked (Deno ignores a
 * `content-length` header on a stream): give a `Uint8Array` where the server needs a length.
 * Without `--allow-net` for the host, requests reject `PermissionDenied`.
 */
export class DenoHttpClient extends FetchHttpClient {
  constructor(options: DenoHttpClientOptions = {}) {
    super({
      ...DENO_FETCH_OPTIONS,
      timeout: options.timeout ?? 300_000,
      redirect: "manual",
      backend: "deno",
      transportError,
    });
  }
}
