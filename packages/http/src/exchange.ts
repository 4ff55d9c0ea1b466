// How FetchHttpClient runs one request (not exported from the package).
import { type AbortSignalLike, abortError, type ErrorContext, FusioError } from "@fusio/core";
import { StallClock, type Waiting } from "./stall-clock.ts";

/** The deadline while nothing is awaited. */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * The life of one fetch: the caller's signal, a stall timeout (armed only while waiting on the
 * network), and the abort controller handed to fetch. Turns whatever fetch throws into a
 * FusioError whose kind says why: `Aborted` (the caller), `Timeout` (the stall timer) or what
 * `transportError` makes of the rest.
 */
export class Exchange implements Waiting {
  readonly controller: AbortController = new AbortController();
  /** An error thrown by the caller's request body iterable, reported instead of fetch's. */
  bodyError: unknown;
  /** True from sending until the response headers arrive (the request body may still be going up). */
  sending = false;
  /** When the current wait times out (performance.now() ms), or Infinity while not waiting. */
  deadline: number = NEVER;
  #why: "aborted" | "timeout" | undefined;
  readonly #signal: AbortSignalLike | undefined;
  readonly #timeout: number;
  readonly #context: ErrorContext;
  readonly #transportError: (error: unknown, context: ErrorContext) => FusioError;
  /** The clock of the stall timer: the client's, or one of this exchange's own (made at the first wait). */
  #clock: StallClock | undefined;
  readonly #ownClock: boolean;
  readonly #onAbort = (): void => {
    this.#why ??= "aborted";
    this.controller.abort(this.#signal?.reason);
  };

  constructor(
    signal: AbortSignalLike | undefined,
    timeout: number,
    context: ErrorContext,
    transportError: (error: unknown, context: ErrorContext) => FusioError,
    clock?: StallClock,
  ) {
    this.#signal = signal;
    this.#timeout = timeout;
    this.#context = context;
    this.#transportError = transportError;
    this.#clock = clock;
    this.#ownClock = clock === undefined;
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /**
   * Starts the stall timer (before waiting on the network): moves the deadline, which the
   * clock's one timer checks (see {@link StallClock}). A response read in many chunks so costs
   * one timer, not one per chunk.
   */
  arm(): void {
    if (this.#timeout <= 0) return;
    this.deadline = performance.now() + this.#timeout;
    this.#clock ??= new StallClock();
    this.#clock.watch(this);
  }

  /** Stops the stall timer (the network answered; the caller holds the data). */
  disarm(): void {
    this.deadline = NEVER;
    this.#clock?.unwatch(this);
  }

  /** The stall timer ran out (called by the clock). */
  expire(): void {
    this.#why ??= "timeout";
    this.controller.abort(this.fail(undefined));
  }

  /** The exchange is over: no timer, no listener on the caller's signal. */
  finish(): void {
    this.disarm();
    if (this.#ownClock) this.#clock?.stop();
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }

  /** The FusioError for `error`, thrown by fetch or by a read of the response body. */
  fail(error: unknown): FusioError {
    if (this.#why === "aborted") return abortError(this.#signal, this.#context);
    if (this.#why === "timeout") {
      return new FusioError("Timeout", `no answer within ${this.#timeout} ms`, this.#context);
    }
    if (this.bodyError !== undefined) {
      if (FusioError.is(this.bodyError)) return this.bodyError;
      return new FusioError("Io", "the request body failed", { ...this.#context, cause: this.bodyError });
    }
    if (FusioError.is(error)) return error;
    return this.#transportError(error, this.#context);
  }
}

/**
 * The default of `FetchHttpClientOptions.wholeBodyLimit`: bodies whose `content-length` is at
 * most this many bytes are read whole with `Response.arrayBuffer()`, which costs less CPU than
 * a stream reader: in Bun 4 KiB ~31 vs ~39 µs, 64 KiB ~41 vs ~56 µs; in Deno under half for
 * small bodies (4 KiB ~100 vs ~235 µs), the reader winning only from ~128 KiB up. Larger bodies
 * stream, so memory stays bounded.
 */
export const WHOLE_BODY_LIMIT: number = 64 * 1024;

/**
 * The response body as chunks: one chunk for a body of known length up to `wholeLimit` bytes,
 * otherwise read as it arrives. The stall timer runs only while a read waits on the network;
 * stopping the iteration early cancels the stream, which releases the connection, also when
 * nothing was read yet (how backends discard a body: `return()` on an iterator never started,
 * which a generator alone would ignore, leaving the stream to the garbage collector).
 */
export function responseBody(response: Response, exchange: Exchange, wholeLimit: number): AsyncIterable<Uint8Array> {
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (length <= wholeLimit) return new WholeBody(response, exchange);
  const chunks = readBody(response, exchange);
  let started = false;
  // One iterator however often it is asked for, as a generator would be.
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        started = true;
        return chunks.next();
      },
      return: () => {
        if (!started) {
          exchange.finish();
          response.body?.cancel().catch(() => undefined);
        }
        return chunks.return();
      },
    }),
  };
}

const DONE: IteratorResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

/**
 * A body read whole: one `arrayBuffer()` at the first `next()`, handed over as one chunk. It
 * never asks for `response.body`: in Bun that makes the stream, and `arrayBuffer()` then reads
 * through it (a 1 MiB body: ~15% more CPU). A class rather than a generator, which costs ~2 µs
 * more per request (Bun, 4 KiB GETs: ~4% of the request).
 */
class WholeBody implements AsyncIterableIterator<Uint8Array> {
  /** Undefined once read or released. */
  #response: Response | undefined;
  readonly #exchange: Exchange;

  constructor(response: Response, exchange: Exchange) {
    this.#response = response;
    this.#exchange = exchange;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    const response = this.#response;
    if (response === undefined) return DONE;
    this.#response = undefined;
    const exchange = this.#exchange;
    exchange.arm();
    try {
      const value = new Uint8Array(await response.arrayBuffer());
      return value.length > 0 ? { done: false, value } : DONE;
    } catch (error) {
      throw exchange.fail(error);
    } finally {
      exchange.finish();
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    const response = this.#response;
    if (response !== undefined) {
      this.#response = undefined;
      this.#exchange.finish();
      response.body?.cancel().catch(() => undefined);
    }
    return DONE;
  }
}

/** A body read as a stream, as it arrives. */
async function* readBody(response: Response, exchange: Exchange): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = response.body?.getReader();
  let done = false;
  try {
    while (reader !== undefined && !done) {
      exchange.arm();
      let value: Uint8Array | undefined;
      try {
        ({ done, value } = await reader.read());
      } catch (error) {
        throw exchange.fail(error);
      } finally {
        exchange.disarm();
      }
      if (value?.length) yield value;
    }
  } finally {
    exchange.finish();
    if (!done) await reader?.cancel().catch(() => undefined);
  }
}
