import { FusioError } from "./errors.ts";

// Core is typed without runtime libraries (`types: []`); every runtime fusio supports has timers.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(timer: unknown): void;

/**
 * The part of the WHATWG `AbortSignal` that fusio uses. Any real `AbortSignal` fits; core
 * declares its own shape so it needs no DOM or runtime types.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The options every async fusio method takes as its last argument. */
export interface CallOptions {
  /** Cancels the operation: it rejects with kind `Aborted` and leaves nothing half-done. */
  signal?: AbortSignalLike | undefined;
}

/** What a backend puts on the errors it raises for one call. */
export interface ErrorContext {
  op: string;
  path?: string | undefined;
  backend?: string | undefined;
}

/** The `Aborted` error for `signal`, with its reason as the cause. */
export function abortError(signal: AbortSignalLike | undefined, context: ErrorContext): FusioError {
  return new FusioError("Aborted", "the operation was aborted", { ...context, cause: signal?.reason });
}

/**
 * For implementers: rejects before any effect when the caller's signal has already fired.
 * @throws FusioError `Aborted`.
 */
export function throwIfAborted(signal: AbortSignalLike | undefined, context: ErrorContext): void {
  if (signal?.aborted) throw abortError(signal, context);
}

/**
 * For implementers: waits `ms` milliseconds (retry backoff, lock polling), or rejects `Aborted`
 * as soon as `signal` fires, also when it has fired already.
 * @throws FusioError `Aborted`.
 */
export function sleep(ms: number, signal: AbortSignalLike | undefined, context: ErrorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, context));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal, context));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
