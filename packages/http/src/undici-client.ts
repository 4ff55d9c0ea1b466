import { abortError, type ErrorContext, type HttpClient, type HttpRequest, type HttpResponse } from "@fusio/core";
import { Agent, type Dispatcher, request } from "undici";
import { fromNetworkError } from "./undici-errors.ts";

/** Options of {@link UndiciHttpClient}. */
export interface UndiciHttpClientOptions {
  /** Most connections kept to one origin (the pool size). Default: no limit. */
  connections?: number | undefined;
  /** Milliseconds to establish a connection (TCP and TLS). Default 10 000. */
  connectTimeout?: number | undefined;
  /** Milliseconds to wait for the response headers once the request is sent. Default 300 000. */
  headersTimeout?: number | undefined;
  /** Milliseconds allowed between two chunks of the response body. Default 300 000. */
  bodyTimeout?: number | undefined;
  /** Milliseconds an idle connection is kept open for reuse. Default 4 000. */
  keepAliveTimeout?: number | undefined;
  /**
   * An undici dispatcher to send through instead of the client's own pool (a proxy agent, a
   * mock, a shared Agent). The options above are then ignored.
   */
  dispatcher?: Dispatcher | undefined;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * `request()` follows no redirect by itself; a given dispatcher composed with undici's redirect
 * interceptor would, to any origin and with the request's credentials. Its per-request
 * `maxRedirections: 0` (what undici's own fetch passes) turns it off: a 3xx is returned as is.
 */
const NO_REDIRECTS = { maxRedirections: 0 } as unknown as Record<string, never>;

/**
 * An `HttpClient` on undici's `request()`, for Node: a keep-alive connection pool per origin,
 * streaming request and response bodies, and buffer bodies written to the socket without a
 * copy. It is what `defaultHttpClient()` gives on Node; construct one yourself to tune the
 * pool or the timeouts. Redirects are never followed: a 3xx is returned to the caller, so
 * credentials never leave the origin they were meant for.
 *
 * ```ts
 * import { UndiciHttpClient } from "@fusio/http/undici-client";
 * const http = new UndiciHttpClient({ connections: 16, headersTimeout: 30_000 });
 * ```
 */
export class UndiciHttpClient implements HttpClient {
  /**
   * It enforces `HttpRequest.timeout` with undici's own timers (headers, then between body
   * chunks; a request's timeout and the client's option both apply, the shorter wins).
   */
  readonly enforcesTimeout = true;
  readonly #dispatcher: Dispatcher;
  readonly #owned: Agent | undefined;
  readonly #headersTimeout: number | undefined;
  readonly #bodyTimeout: number | undefined;

  constructor(options: UndiciHttpClientOptions = {}) {
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
    } else {
      this.#headersTimeout = options.headersTimeout ?? 300_000;
      this.#bodyTimeout = options.bodyTimeout ?? 300_000;
      this.#owned = new Agent({
        ...(options.connections === undefined ? {} : { connections: options.connections }),
        connect: { timeout: options.connectTimeout ?? 10_000 },
        headersTimeout: this.#headersTimeout,
        bodyTimeout: this.#bodyTimeout,
        keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
      });
      this.#dispatcher = this.#owned;
    }
  }

  async send(input: HttpRequest): Promise<HttpResponse> {
    const context: ErrorContext = input.context ?? { op: input.method, path: withoutQuery(input.url), backend: "http" };
    const signal = input.signal;
    if (signal?.aborted) throw abortError(signal, context);
    const timeout = input.timeout;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(input.url, {
        dispatcher: this.#dispatcher,
        method: input.method as Dispatcher.HttpMethod,
        headers: input.headers,
        // A Uint8Array goes to the socket as it is; an AsyncIterable is streamed.
        body: (input.body ?? null) as NonNullable<Dispatcher.DispatchOptions["body"]>,
        signal: (signal ?? null) as AbortSignal | null,
        // undici closes the connection after every HEAD unless told otherwise (an old interop
        // guard against servers that send a body with HEAD); S3 and Azure do not, and reusing
        // the connection makes HEAD 1.6x faster.
        reset: false,
        // Null leaves the dispatcher's own timeouts.
        headersTimeout: timeout ? shorter(timeout, this.#headersTimeout) : null,
        bodyTimeout: timeout ? shorter(timeout, this.#bodyTimeout) : null,
        ...NO_REDIRECTS,
      });
    } catch (error) {
      throw signal?.aborted ? abortError(signal, context) : fromNetworkError(error, context);
    }
    const headers = response.headers as Headers;
    return {
      status: response.statusCode,
      headers: {
        get(name: string): string | null {
          const value = headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
        },
        forEach(callback: (value: string, name: string) => void): void {
          for (const [name, value] of Object.entries(headers)) {
            if (value !== undefined) callback(Array.isArray(value) ? value.join(", ") : value, name);
          }
        },
      },
      body: new ResponseBody(response.body, context, signal),
    };
  }

  /** Closes the client's own pool once requests in flight finish (a given dispatcher is left open). */
  async close(): Promise<void> {
    await this.#owned?.close();
  }
}

/**
 * The response body as chunks. Stopping early (`break`, or `return()` before the first chunk)
 * releases the stream: a body that has fully arrived (an empty UploadPart or DELETE answer, a
 * small unread one) is drained from memory, which frees the stream without an error; one still
 * arriving is destroyed, so the connection is not left waiting for a reader.
 */
class ResponseBody implements AsyncIterable<Uint8Array> {
  readonly #stream: Dispatcher.ResponseData["body"];
  readonly #context: ErrorContext;
  readonly #signal: HttpRequest["signal"];

  constructor(stream: Dispatcher.ResponseData["body"], context: ErrorContext, signal: HttpRequest["signal"]) {
    this.#stream = stream;
    this.#context = context;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const stream = this.#stream;
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    const fail = (error: unknown): never => {
      throw this.#signal?.aborted ? abortError(this.#signal, this.#context) : fromNetworkError(error, this.#context);
    };
    return {
      next: () => chunks.next().catch(fail),
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        if (arrived(stream)) {
          // Destroying it would abort a request that is already complete and build an error
          // object (with its stack) for nothing, on every discarded success answer.
          stream.resume();
        } else {
          // Destroying a body that was never read makes undici emit an AbortError on a later
          // turn; with no reader listening that would be an uncaught exception.
          stream.on("error", ignore);
          stream.destroy();
        }
        return { done: true, value: undefined };
      },
    };
  }
}

function ignore(): void {}

/** The shorter of two timeouts (0 or undefined: none), as undici takes them (0 also disables). */
function shorter(a: number, b: number | undefined): number {
  return b ? Math.min(a, b) : a;
}

/**
 * Whether the whole body is in the stream's buffer (undici pushed its end): Node's
 * `_readableState.ended`, which the public `readableEnded` only reports once a reader saw it.
 */
function arrived(stream: Dispatcher.ResponseData["body"]): boolean {
  return (stream as unknown as { _readableState?: { ended?: boolean } })._readableState?.ended === true;
}

/** The URL without its query string, which may hold signatures or SAS tokens. */
function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
