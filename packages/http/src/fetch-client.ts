import {
  type AbortSignalLike,
  abortError,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from "@fusio/core";

/** Options of {@link FetchHttpClient}. */
export interface FetchHttpClientOptions {
  /** The `fetch` to use. Defaults to `globalThis.fetch` (looked up at each call, so polyfills and mocks apply). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extra `RequestInit` fields for every request, e.g. `{ keepalive: true }` or `{ dispatcher }` on Node. */
  init?: Readonly<Record<string, unknown>> | undefined;
}

const EMPTY: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};

/**
 * The portable {@link HttpClient}: WHATWG `fetch`, so it runs in Node, Bun, Deno, browsers and
 * Workers. Transport failures reject `Io` (retryable), the caller's abort rejects `Aborted`;
 * HTTP error statuses resolve normally. Response bodies are iterated chunk by chunk; stopping
 * early (`break` / `return()`) cancels the stream and releases the connection.
 *
 * On Node, `@fusio/node/http` (undici `request()`) is faster: fetch costs more CPU per request
 * and copies request bodies.
 */
export class FetchHttpClient implements HttpClient {
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #init: Readonly<Record<string, unknown>> | undefined;

  constructor(options: FetchHttpClientOptions = {}) {
    this.#fetch = options.fetch;
    this.#init = options.init;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const context = { op: `${request.method} request` };
    const signal = request.signal;
    if (signal?.aborted) throw abortError(signal, context);
    const init: RequestInit & { duplex?: "half" } = {
      ...this.#init,
      method: request.method,
      headers: request.headers as Record<string, string>,
      signal: (signal as AbortSignal | undefined) ?? null,
    };
    const body = request.body;
    if (body instanceof Uint8Array) {
      init.body = body as BodyInit;
    } else if (body !== undefined) {
      init.body = toReadableStream(body);
      init.duplex = "half"; // required by Node's fetch for a streamed request body
    }
    let response: Response;
    try {
      response = await (this.#fetch ?? globalThis.fetch)(request.url, init);
    } catch (error) {
      throw transportError(error, signal, context);
    }
    return {
      status: response.status,
      headers: response.headers,
      body: response.body === null ? EMPTY : iterate(response.body, signal, context),
    };
  }
}

function transportError(error: unknown, signal: AbortSignalLike | undefined, context: { op: string }): FusioError {
  if (FusioError.is(error)) return error;
  if (signal?.aborted) return abortError(signal, context);
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
  return new FusioError("Io", `the request failed${detail ? `: ${detail}` : ""}`, {
    ...context,
    retryable: true,
    cause: error,
  });
}

function iterate(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignalLike | undefined,
  context: { op: string },
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const reader = stream.getReader();
      let done = false;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (done) return { done: true, value: undefined };
          try {
            const result = await reader.read();
            if (result.done) {
              done = true;
              reader.releaseLock();
              return { done: true, value: undefined };
            }
            return { done: false, value: result.value };
          } catch (error) {
            done = true;
            throw transportError(error, signal, { op: `${context.op} (body)` });
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          if (!done) {
            done = true;
            await reader.cancel().catch(() => undefined);
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function toReadableStream(body: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const result = await iterator.next();
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
