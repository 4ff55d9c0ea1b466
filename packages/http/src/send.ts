import {
  type AbortSignalLike,
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  throwIfAborted,
} from "@fusio/core";
import { Exchange } from "./exchange.ts";

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

const ioError = (error: unknown, context: ErrorContext): FusioError =>
  new FusioError("Io", "the request failed", { ...context, retryable: true, cause: error });

/**
 * Sends `request` through any {@link HttpClient} with the caller's signal and an idle timeout
 * that covers the body too (a stalled download rejects `Timeout` instead of hanging). Works with
 * every client because it only composes signals: the same {@link Exchange} the fetch client
 * runs on.
 */
export async function sendRequest(
  client: HttpClient,
  request: HttpRequest,
  options: SendOptions,
): Promise<HttpResponse> {
  throwIfAborted(options.signal, options.context);
  const exchange = new Exchange(options.signal, options.timeout ?? 0, options.context, ioError);
  let response: HttpResponse;
  exchange.arm();
  try {
    response = await client.send({ ...request, signal: exchange.controller.signal });
  } catch (error) {
    exchange.finish();
    throw exchange.fail(error);
  } finally {
    exchange.disarm();
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
            exchange.arm();
            try {
              const result = await iterator.next();
              if (result.done) exchange.finish();
              return result;
            } catch (error) {
              exchange.finish();
              throw exchange.fail(error);
            } finally {
              exchange.disarm();
            }
          },
          async return(): Promise<IteratorResult<Uint8Array>> {
            exchange.finish();
            await iterator.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    },
  };
}
