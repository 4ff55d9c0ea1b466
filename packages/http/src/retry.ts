import { type AbortSignalLike, abortError, type ErrorContext, FusioError, sleep } from "@fusio/core";
import type { RemoteErrorDetails } from "./errors.ts";

/**
 * How remote backends repeat failed requests: exponential backoff with full jitter (a random
 * wait in `[0, min(maxDelay, baseDelay * 2^n))`), at most `maxAttempts` tries within
 * `maxElapsed` ms, never after the caller aborted. A `Retry-After` from the server is a lower
 * bound on the wait.
 */
export interface RetryOptions {
  /** Tries in total, the first included. Default 4; 1 disables retries. */
  maxAttempts?: number | undefined;
  /** The backoff base in ms. Default 100. */
  baseDelay?: number | undefined;
  /** The longest single wait in ms. Default 5 000. */
  maxDelay?: number | undefined;
  /** Total time budget in ms, counted from the first try; no retry starts after it. Default 60 000. */
  maxElapsed?: number | undefined;
}

/** {@link RetryOptions} with every default applied. */
export type RetryPolicy = Required<{ [K in keyof RetryOptions]: number }>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelay: 100,
  maxDelay: 5_000,
  maxElapsed: 60_000,
});

/** Applies the defaults; `false` means a single try. */
export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  return {
    maxAttempts: Math.max(1, Math.floor(options?.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
    baseDelay: Math.max(0, options?.baseDelay ?? DEFAULT_RETRY.baseDelay),
    maxDelay: Math.max(0, options?.maxDelay ?? DEFAULT_RETRY.maxDelay),
    maxElapsed: Math.max(0, options?.maxElapsed ?? DEFAULT_RETRY.maxElapsed),
  };
}

/** The full-jitter wait before try number `attempt + 1` (attempt counts from 1). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The HTTP statuses worth repeating: 408, 429, 500, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions {
  /** The policy; `false` for one try. */
  retry?: RetryOptions | RetryPolicy | false | undefined;
  /** The caller's signal: no retry after it fired, and waits end at once with `Aborted`. */
  signal?: AbortSignalLike | undefined;
  /**
   * True when repeating the request cannot change the outcome (GET, HEAD, PUT of a whole
   * object, DELETE, UploadPart). When false, only errors the server answered with (a status,
   * e.g. 503 SlowDown: it did not apply the request) are retried; transport failures and
   * timeouts are ambiguous and rethrown.
   */
  idempotent: boolean;
  context: ErrorContext;
  /** Called before each wait; for logging and tests. */
  onRetry?: ((error: FusioError, attempt: number, delay: number) => void) | undefined;
  /** Random source in [0, 1) for the jitter; tests pass a fixed one. */
  random?: (() => number) | undefined;
}

/**
 * Runs `run(attempt)` until it resolves, or rejects with an error that is not retryable
 * (`FusioError.retryable` false, or ambiguous for a non-idempotent request), or the budget is
 * spent (then the last error is rethrown). `run` must build the request afresh each time
 * (new signature, new body iterator).
 */
export async function withRetry<T>(run: (attempt: number) => Promise<T>, options: WithRetryOptions): Promise<T> {
  const policy = retryPolicy(options.retry);
  const { signal, context } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal, context);
    try {
      return await run(attempt);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal, context);
      if (!FusioError.is(error) || !error.retryable) throw error;
      if (!options.idempotent && error.status === undefined) throw error;
      if (attempt >= policy.maxAttempts) throw error;
      const jitter = backoffDelay(attempt, policy, options.random);
      const delay = Math.max(jitter, remoteDetails(error)?.retryAfterMs ?? 0);
      if (Date.now() + delay - started > policy.maxElapsed) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, signal, context);
    }
  }
}

/** Waits `ms`, or rejects `Aborted` as soon as `signal` fires (`@fusio/core`'s, re-exported). */
export { sleep };

/** The {@link RemoteErrorDetails} behind `error`, when it came from {@link remoteError}. */
export function remoteDetails(error: unknown): RemoteErrorDetails | undefined {
  if (!FusioError.is(error)) return undefined;
  const cause = error.cause as Partial<RemoteErrorDetails> | undefined;
  return typeof cause === "object" && cause !== null && typeof cause.status === "number"
    ? (cause as RemoteErrorDetails)
    : undefined;
}
