import {
  type AbortSignalLike,
  abortError,
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from "@fusio/core";

/** Options of {@link sendRequest}. */
export interface SendOptions {
  /**
   * Milliseconds the server may stay silent: until the response headers arrive, and then
   * between two body chunks. Expiry rejects `Timeout` (retryable). Omit or 0 for none.
   */
  timeout?: number | undefined;
  /** The caller's signal; it rejects `Aborted`. */
  signal?: AbortSignalLike | undefined;
  /** What the errors raised here name as op / path / backend. */
  context: ErrorContext;
}

/**
 * Sends `request` through any {@link HttpClient} with the caller's signal and an idle timeout
 * that covers the body too (a stalled download rejects `Timeout` instead of hanging). Works with
 * every client because it only composes signals.
 */
export async function sendRequest(
  client: HttpClient,
  request: HttpRequest,
  options: SendOptions,
): Promise<HttpResponse> {
  const { signal, context } = options;
  if (signal?.aborted) throw abortError(signal, context);
  const timeout = options.timeout ?? 0;
  if (!(timeout > 0)) {
    try {
      return await client.send(signal === undefined ? request : { ...request, signal });
    } catch (error) {
      throw normalize(error, signal, false, timeout, context);
    }
  }

  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const arm = (): void => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new FusioError("Timeout", `no answer within ${timeout} ms`, context));
    }, timeout);
  };
  const disarm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const release = (): void => {
    disarm();
    signal?.removeEventListener("abort", onAbort);
  };

  arm();
  let response: HttpResponse;
  try {
    response = await client.send({ ...request, signal: controller.signal });
  } catch (error) {
    release();
    throw normalize(error, signal, timedOut, timeout, context);
  } finally {
    disarm();
  }

  const body = response.body;
  return {
    status: response.status,
    headers: response.headers,
    body: {
      [Symbol.asyncIterator]() {
        const iterator = body[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<Uint8Array>> {
            if (timedOut) throw normalize(undefined, signal, true, timeout, context);
            arm();
            try {
              const result = await iterator.next();
              if (result.done) release();
              return result;
            } catch (error) {
              release();
              throw normalize(error, signal, timedOut, timeout, context);
            } finally {
              disarm();
            }
          },
          async return(): Promise<IteratorResult<Uint8Array>> {
            release();
            await iterator.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    },
  };
}

function normalize(
  error: unknown,
  signal: AbortSignalLike | undefined,
  timedOut: boolean,
  timeout: number,
  context: ErrorContext,
): FusioError {
  if (signal?.aborted) return abortError(signal, context);
  if (timedOut) {
    return new FusioError("Timeout", `the server sent nothing for ${timeout} ms`, {
      ...context,
      retryable: true,
      cause: error,
    });
  }
  if (FusioError.is(error)) return error;
  return new FusioError("Io", "the request failed", { ...context, retryable: true, cause: error });
}
