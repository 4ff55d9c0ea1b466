import { BUN_FETCH_OPTIONS, FetchHttpClient } from "@fusio/http";
import { transportError } from "./internal/errors.ts";

/** Options of {@link BunHttpClient}. */
export interface BunHttpClientOptions {
  /**
   * Milliseconds the client waits on the network without progress before it rejects `Timeout`:
   * for the response headers (each chunk of a streamed request body going up restarts it; a
   * buffer body counts as one wait), then for each chunk of the response body. Time the caller
   * spends producing or consuming chunks does not count; a body of known length up to 4 MiB is
   * read whole, as one wait. `0` turns it off. Default 300 000 (undici's).
   */
  timeout?: number | undefined;
}

/**
 * An `HttpClient` on Bun's `fetch`. It is `FetchHttpClient` (`@fusio/http`) configured for Bun. Bodies stream both ways (a chunk iterable is pulled as the
 * socket drains; the response is read as it arrives), redirects are returned rather than
 * followed, and the response body is the stored bytes: the client asks for `identity`
 * encoding unless the request names an `accept-encoding`, and never decompresses.
 */
export class BunHttpClient extends FetchHttpClient {
  constructor(options: BunHttpClientOptions = {}) {
    super({
      ...BUN_FETCH_OPTIONS,
      timeout: options.timeout ?? 300_000,
      redirect: "manual",
      backend: "bun",
      transportError,
    });
  }
}
