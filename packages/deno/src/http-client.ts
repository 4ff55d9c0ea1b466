import { FusioError, type HttpClient, type HttpRequest, type HttpResponse, throwIfAborted } from "@fusio/core";
import { transportError } from "./internal/errors.ts";
import { bodyStream, Exchange, responseBody } from "./internal/exchange.ts";

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

interface StreamingRequestInit extends RequestInit {
  duplex?: "half";
}

/**
 * An `HttpClient` on Deno's `fetch`. Bodies stream both ways (a chunk iterable is pulled as the
 * socket drains; the response is read as it arrives), redirects are returned rather than
 * followed, and the response body is the stored bytes: the client asks for `identity`
 * encoding unless the request names an `accept-encoding` (Deno decompresses only what it asked
 * to be compressed). A chunk-iterable body is always sent chunked (Deno ignores a
 * `content-length` header on a stream): give a `Uint8Array` where the server needs a length.
 * Without `--allow-net` for the host, requests reject `PermissionDenied`.
 */
export class DenoHttpClient implements HttpClient {
  /** The stall timeout in milliseconds (0: none). */
  readonly timeout: number;

  constructor(options: DenoHttpClientOptions = {}) {
    const timeout = options.timeout ?? 300_000;
    if (!Number.isSafeInteger(timeout) || timeout < 0) {
      throw new FusioError("InvalidArgument", "timeout must be a non-negative integer", { backend: "deno" });
    }
    this.timeout = timeout;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const context = { op: `http ${request.method}`, backend: "deno" };
    throwIfAborted(request.signal, context);
    const exchange = new Exchange(request.signal, this.timeout, context, transportError);
    const headers: Record<string, string> = { "accept-encoding": "identity", ...request.headers };
    const body = request.body;
    const init: StreamingRequestInit = {
      method: request.method,
      headers,
      signal: exchange.controller.signal,
      redirect: "manual",
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
