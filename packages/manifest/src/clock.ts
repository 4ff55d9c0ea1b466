import { type AbortSignalLike, type ErrorContext, sleep } from "@fusio/core";

/**
 * The time source of a manifest: wall-clock milliseconds for lease expiry and checkpoint
 * ages, and sleeping for retry backoff. Tests inject one to move time without waiting.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects `Aborted` as soon as `signal` fires.
   */
  sleep(ms: number, signal: AbortSignalLike | undefined, context: ErrorContext): Promise<void>;
}

/** `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};
