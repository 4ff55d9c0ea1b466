import {
  type AbortSignalLike,
  abortError,
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
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
 * that covers the body too (a stalled download rejects `Timeout` instead of hanging). A client
 * that enforces `HttpRequest.timeout` itself (`enforcesTimeout`, as both of fusio's do) is
 * handed the timeout; any other runs inside an {@link Exchange} (a stall timer and an abort
 * controller per request, composed from signals, so it works with every client). Either way an
 * abort or a timeout rejects with `options.context`.
 */
export function sendRequest(client: HttpClient, request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  if (options.signal?.aborted) return Promise.reject(abortError(options.signal, options.context));
  return client.enforcesTimeout === true ? sendDirect(client, request, options) : sendTimed(client, request, options);
}

/** `sendRequest` inside an {@link Exchange}: the stall timer and abort controller of its own. */
async function sendTimed(client: HttpClient, request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
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

/** `sendRequest` on a client that keeps the timeout itself and names its errors after `context`. */
function sendDirect(client: HttpClient, request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  return client.send({ ...request, signal: options.signal, timeout: options.timeout, context: options.context });
}
