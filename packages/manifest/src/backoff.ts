import { type AbortSignalLike, FusioError } from "@fusio/core";
import type { Clock } from "./clock.ts";
import { BACKEND, isCorrupt } from "./json.ts";

/**
 * Retry timing for transient storage errors and lost CAS races on shared documents
 * (HEAD during orphan recovery, the GC plan, lease creation). The defaults are Rust
 * fusio-manifest's `BackoffPolicy::default()`.
 */
export interface BackoffPolicy {
  /** The first delay. Default 20 ms. */
  baseMs: number;
  /** No single delay exceeds this. Default 1000 ms. */
  maxMs: number;
  /** Each delay is the previous one times this. Default 2. */
  multiplier: number;
  /** Each delay is stretched by up to this fraction, at random, so racing writers spread out. Default 0.25. */
  jitterFraction: number;
  /** Retries after the first attempt. Default 6. */
  maxRetries: number;
  /** A commit stops retrying transient errors once this much time has passed. Default 3000 ms; 0 disables. */
  maxElapsedMs: number;
  /** The sum of all delays of one retry loop stays under this. Default 3000 ms; 0 disables. */
  maxTotalSleepMs: number;
}

/** Rust fusio-manifest's defaults: 20 ms doubling to 1 s, 6 retries, 3 s in total. */
export const defaultBackoff: Readonly<BackoffPolicy> = Object.freeze({
  baseMs: 20,
  maxMs: 1000,
  multiplier: 2,
  jitterFraction: 0.25,
  maxRetries: 6,
  maxElapsedMs: 3000,
  maxTotalSleepMs: 3000,
});

/** The delays of one retry loop, in order; exhausted means "give up". */
export function* backoffDelays(policy: BackoffPolicy, random: () => number = Math.random): Generator<number> {
  let delay = policy.baseMs;
  let slept = 0;
  for (let attempt = 0; attempt < policy.maxRetries; attempt++) {
    const capped = Math.min(delay, policy.maxMs);
    const next = Math.round(capped * (1 + policy.jitterFraction * random()));
    if (policy.maxTotalSleepMs > 0 && slept + next > policy.maxTotalSleepMs) return;
    slept += next;
    yield next;
    delay *= policy.multiplier;
  }
}

/** How a failed storage call is handled: the three classes of Rust's `classify_error`. */
export type RetryClass = "conflict" | "transient" | "fatal";

/** A lost CAS is a conflict; I/O trouble is transient; bad input, corrupt documents and aborts are fatal. */
export function classifyError(error: unknown): RetryClass {
  if (FusioError.is(error, "PreconditionFailed")) return "conflict";
  if (isCorrupt(error)) return "fatal";
  if (FusioError.is(error)) {
    switch (error.kind) {
      case "Io":
      case "Remote":
      case "Timeout":
      case "RateLimited":
        return "transient";
      default:
        return "fatal";
    }
  }
  return "fatal";
}

/** One retry loop: call {@link RetryLoop.next} after a failure; it sleeps or says to give up. */
export class RetryLoop {
  readonly #delays: Generator<number>;
  readonly #clock: Clock;
  readonly #signal: AbortSignalLike | undefined;
  readonly #op: string;

  constructor(policy: BackoffPolicy, clock: Clock, signal: AbortSignalLike | undefined, op: string) {
    this.#delays = backoffDelays(policy);
    this.#clock = clock;
    this.#signal = signal;
    this.#op = op;
  }

  /** Sleeps the next delay and returns true, or returns false when the policy is exhausted. */
  async next(): Promise<boolean> {
    const step = this.#delays.next();
    if (step.done) return false;
    await this.#clock.sleep(step.value, this.#signal, { op: this.#op, backend: BACKEND });
    return true;
  }
}

/** Runs `attempt`, retrying transient errors under `policy`; conflicts and fatal errors are thrown at once. */
export async function retryTransient<T>(
  policy: BackoffPolicy,
  clock: Clock,
  signal: AbortSignalLike | undefined,
  op: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const loop = new RetryLoop(policy, clock, signal, op);
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (classifyError(error) !== "transient" || !(await loop.next())) throw error;
    }
  }
}
