import { FusioError, type HttpClient, type HttpRequest, type HttpResponse, throwIfAborted } from "@fusio/core";
import { transportError } from "./internal/errors.ts";
import { bodyStream, Exchange, responseBody } from "./internal/exchange.ts";

/** Options of {@link BunHttpClient}. */
export interface BunHttpClientOptions {
  /**
   * Milliseconds the client waits on the network without progress before it rejects `Timeout`:
   * for the response headers (each chunk of a streamed request body going up restarts it; a
   * buffer body counts as one wait), then for each chunk of the response body. Time the caller
   * spends producing or consuming chunks does not count. `0` turns it off. Default 300 000
   * (undici's).
   */
  timeout?: number | undefined;
}

// Bun's fetch extensions (https://bun.sh/docs/api/fetch): `decompress: false` hands over the
// bytes as the server sent them.
interface BunRequestInit extends RequestInit {
  decompress?: boolean;
  duplex?: "half";
}

/**
 * An `HttpClient` on Bun's `fetch`. Bodies stream both ways (a chunk iterable is pulled as the
 * socket drains; the response is read as it arrives), redirects are returned rather than
 * followed, and the response body is the stored bytes: the client asks for `identity`
 * encoding unless the request names an `accept-encoding`, and never decompresses.
 */
export class BunHttpClient implements HttpClient {
  /** The stall timeout in milliseconds (0: none). */
  readonly timeout: number;

  constructor(options: BunHttpClientOptions = {}) {
    const timeout = options.timeout ?? 300_000;
    if (!Number.isSafeInteger(timeout) || timeout < 0) {
      throw new FusioError("InvalidArgument", "timeout must be a non-negative integer", { backend: "bun" });
    }
    this.timeout = timeout;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const context = { op: `http ${request.method}`, backend: "bun" };
    throwIfAborted(request.signal, context);
    const exchange = new Exchange(request.signal, this.timeout, context, transportError);
    const headers: Record<string, string> = { "accept-encoding": "identity", ...request.headers };
    const body = request.body;
    const init: BunRequestInit = {
      method: request.method,
      headers,
      signal: exchange.controller.signal,
      redirect: "manual",
      decompress: false,
    };
    if (body instanceof Uint8Array) init.body = body as Uint8Array<ArrayBuffer>;
    else if (body !== undefined) {
      init.body = bodyStream(body, exchange);
      init.duplex = "half";
    }
    let response: Response;
    exchange.sending = true;
    exchange.arm();
    try {
      response = await fetch(request.url, init);
    } catch (error) {
      exchange.finish();
      throw exchange.fail(error);
    } finally {
      exchange.sending = false;
      exchange.disarm();
    }
    return { status: response.status, headers: response.headers, body: responseBody(response, exchange) };
  }
}
