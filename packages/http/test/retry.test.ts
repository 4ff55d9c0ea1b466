import { FusioError } from "@fusio/core";
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  remoteDetails,
  remoteError,
  retryPolicy,
  withRetry,
} from "@fusio/http";
import { describe, expect, it } from "vitest";

const context = { op: "test" };
const fast = { baseDelay: 1, maxDelay: 2 };

function failing(errors: FusioError[]): { run: (attempt: number) => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    run: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "ok";
    },
    calls: () => calls,
  };
}

const slowDown = (): FusioError => remoteError("RateLimited", { status: 503, code: "SlowDown" }, context);
const reset = (): FusioError => new FusioError("Io", "reset", { ...context, retryable: true });

describe("withRetry", () => {
  it("repeats retryable errors until success", async () => {
    const op = failing([slowDown(), reset(), slowDown()]);
    await expect(withRetry(op.run, { retry: fast, idempotent: true, context })).resolves.toBe("ok");
    expect(op.calls()).toBe(4);
  });

  it("gives up after maxAttempts and rethrows the last error", async () => {
    const op = failing([slowDown(), slowDown(), reset()]);
    const error = await withRetry(op.run, { retry: { ...fast, maxAttempts: 3 }, idempotent: true, context }).catch(
      (caught: unknown) => caught,
    );
    expect(FusioError.is(error, "Io")).toBe(true);
    expect(op.calls()).toBe(3);
  });

  it("never repeats an error that is not retryable", async () => {
    const op = failing([new FusioError("NotFound", "gone", context)]);
    await expect(withRetry(op.run, { retry: fast, idempotent: true, context })).rejects.toMatchObject({
      kind: "NotFound",
    });
    expect(op.calls()).toBe(1);
  });

  it("repeats a non-idempotent request only when the server answered (not after a reset)", async () => {
    const answered = failing([slowDown()]);
    await expect(withRetry(answered.run, { retry: fast, idempotent: false, context })).resolves.toBe("ok");
    expect(answered.calls()).toBe(2);
    const ambiguous = failing([reset()]);
    await expect(withRetry(ambiguous.run, { retry: fast, idempotent: false, context })).rejects.toMatchObject({
      kind: "Io",
    });
    expect(ambiguous.calls()).toBe(1);
  });

  it("retry: false is a single try", async () => {
    const op = failing([slowDown()]);
    await expect(withRetry(op.run, { retry: false, idempotent: true, context })).rejects.toMatchObject({
      kind: "RateLimited",
    });
    expect(op.calls()).toBe(1);
  });

  it("waits at least Retry-After", async () => {
    const delays: number[] = [];
    const op = failing([remoteError("RateLimited", { status: 429, retryAfterMs: 30 }, context)]);
    await withRetry(op.run, {
      retry: fast,
      idempotent: true,
      context,
      onRetry: (_error, _attempt, delay) => delays.push(delay),
    });
    expect(delays).toEqual([30]);
  });

  it("stops when the next wait would pass maxElapsed", async () => {
    const op = failing([remoteError("RateLimited", { status: 503, retryAfterMs: 10_000 }, context)]);
    await expect(
      withRetry(op.run, { retry: { ...fast, maxElapsed: 1_000 }, idempotent: true, context }),
    ).rejects.toMatchObject({ kind: "RateLimited" });
    expect(op.calls()).toBe(1);
  });

  it("an abort during the wait rejects Aborted at once and stops retrying", async () => {
    const controller = new AbortController();
    const op = failing([slowDown(), slowDown()]);
    const pending = withRetry(op.run, {
      retry: { baseDelay: 60_000, maxDelay: 60_000 },
      idempotent: true,
      context,
      signal: controller.signal,
      random: () => 0.99,
    });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ kind: "Aborted" });
    expect(op.calls()).toBe(1);
  });

  it("an already-aborted signal runs nothing", async () => {
    const op = failing([]);
    await expect(withRetry(op.run, { idempotent: true, context, signal: AbortSignal.abort() })).rejects.toMatchObject({
      kind: "Aborted",
    });
    expect(op.calls()).toBe(0);
  });
});

describe("backoff", () => {
  it("full jitter stays below min(maxDelay, base * 2^(n-1))", () => {
    const policy = retryPolicy({ baseDelay: 100, maxDelay: 1_000 });
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
  });

  it("retryPolicy applies defaults and bounds", () => {
    expect(retryPolicy(undefined)).toEqual(DEFAULT_RETRY);
    expect(retryPolicy(false).maxAttempts).toBe(1);
    expect(retryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });

  it("retryable statuses", () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 403, 404, 409, 412, 501].some(isRetryableStatus)).toBe(false);
  });

  it("parseRetryAfter reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBe(undefined);
    expect(parseRetryAfter("soon", now)).toBe(undefined);
  });

  it("remoteError keeps the details as its cause and never needs secrets", () => {
    const error = remoteError("NotFound", { status: 404, code: "NoSuchKey", requestId: "r1" }, context);
    expect(error.kind).toBe("NotFound");
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
    expect(remoteDetails(error)).toEqual({ status: 404, code: "NoSuchKey", requestId: "r1" });
    expect(remoteDetails(new Error("x"))).toBe(undefined);
  });
});
