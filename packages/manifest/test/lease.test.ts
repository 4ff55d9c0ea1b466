// Rust fusio-manifest's lease tests (src/lease/mod.rs) and the backoff defaults (src/backoff.rs,
// src/retention.rs), with an injected clock instead of sleeping.

import { defaultBackoff, defaultRetention, Manifest } from "@fusio/manifest";
import { MemoryFs } from "@fusio/memory";
import { describe, expect, it } from "vitest";
import { backoffDelays, classifyError } from "../src/backoff.ts";
import { LeaseStore } from "../src/lease.ts";
import { conflictError, contextOf, FaultyFs, fatalError, rejectsWith, TestClock, transientError } from "./helpers.ts";

describe("leases", () => {
  it("mem_lease_ttl_and_min_watermark", async () => {
    const clock = new TestClock();
    const store = new LeaseStore(contextOf(new MemoryFs(), clock));
    const l1 = await store.create(100, undefined, 60_000);
    clock.advance(1);
    const l2 = await store.create(50, undefined, 60_000);
    const active = await store.listActive(clock.now());
    expect(active).toHaveLength(2);
    expect(Math.min(...active.map((l) => l.snapshotTxnId))).toBe(50);
    // A heartbeat extends the expiry and keeps the txn id.
    clock.advance(30_000);
    await store.heartbeat(l1, 60_000);
    clock.advance(30_000);
    const later = await store.listActive(clock.now());
    expect(later.map((l) => l.snapshotTxnId)).toEqual([100]);
    expect(later[0]?.expiresAtMs).toBe(clock.now() - 30_000 + 60_000);
    expect(await store.listActive(Number.MAX_SAFE_INTEGER)).toEqual([]);
    await store.release(l2);
    await store.release(l1);
    expect(await store.listActive(0)).toEqual([]);
    await rejectsWith(store.heartbeat(l1, 60_000), "NotFound");
  });

  it("lease_first_attempt_success_no_retry_suffix", async () => {
    const clock = new TestClock();
    const lease = await new LeaseStore(contextOf(new FaultyFs(), clock)).create(100, undefined, 60_000);
    expect(lease.id).toBe(`lease-${clock.now()}`);
    expect(lease.snapshotTxnId).toBe(100);
  });

  it("lease_retry_on_transient_errors: the id carries the attempt", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    fs.fail("putConditional", "leases/", 2, transientError);
    const lease = await new LeaseStore(contextOf(fs, clock, { maxRetries: 5 })).create(100, undefined, 60_000);
    expect(lease.id).toMatch(/^lease-\d+-2$/);
    expect(lease.snapshotTxnId).toBe(100);
    expect(clock.slept).toHaveLength(2);
  });

  it("lease_retry_exhaustion: the transient error surfaces", async () => {
    const fs = new FaultyFs();
    fs.fail("putConditional", "leases/", 100, transientError);
    await rejectsWith(new LeaseStore(contextOf(fs, new TestClock(), { maxRetries: 2 })).create(1, undefined, 1), "Io");
  });

  it("two sessions in the same millisecond get distinct leases (Rust fails the second)", async () => {
    const clock = new TestClock();
    const store = new LeaseStore(contextOf(new MemoryFs(), clock));
    const [a, b] = await Promise.all([store.create(1, undefined, 1000), store.create(1, undefined, 1000)]);
    expect(new Set([a.id, b.id]).size).toBe(2);
  });

  it("a fatal error is not retried", async () => {
    const fs = new FaultyFs();
    fs.fail("putConditional", "leases/", 1, fatalError);
    await rejectsWith(new LeaseStore(contextOf(fs, new TestClock())).create(1, undefined, 1), "PermissionDenied");
  });

  it("read sessions keep their lease alive with heartbeat() and startLeaseKeeper()", async () => {
    const clock = new TestClock();
    const fs = new MemoryFs();
    const manifest = new Manifest<string>(fs, { clock, retention: { leaseTtlMs: 1000 } });
    const session = await manifest.readSession();
    clock.advance(900);
    await session.heartbeat();
    clock.advance(900);
    const { Layout } = await import("../src/layout.ts");
    const rootStore = new LeaseStore({ ...contextOf(fs, clock), layout: new Layout("") });
    expect(await rootStore.listActive(clock.now())).toHaveLength(1);
    const keeper = session.startLeaseKeeper(5);
    const renewedBy = clock.now() + 500 + 1000;
    clock.advance(500);
    // The keeper runs on real timers; wait (bounded) until it has renewed at the new time.
    const deadline = Date.now() + 5000;
    let expiresAt = 0;
    while (Date.now() < deadline) {
      expiresAt = (await rootStore.listActive(0))[0]?.expiresAtMs ?? 0;
      if (expiresAt >= renewedBy) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await keeper.stop();
    expect(keeper.lastError).toBeUndefined();
    expect(expiresAt).toBeGreaterThanOrEqual(renewedBy);
    await session.end();
    expect(await rootStore.listActive(0)).toEqual([]);
  });
});

describe("defaults ported from Rust", () => {
  it("BackoffPolicy::default and DefaultRetention", () => {
    expect(defaultBackoff).toEqual({
      baseMs: 20,
      maxMs: 1000,
      multiplier: 2,
      jitterFraction: 0.25,
      maxRetries: 6,
      maxElapsedMs: 3000,
      maxTotalSleepMs: 3000,
    });
    expect(defaultRetention).toEqual({
      checkpointsKeepLast: 2,
      checkpointsMinTtlMs: 60_000,
      segmentsMinTtlMs: 30_000,
      leaseTtlMs: 60_000,
    });
  });

  it("delays double from the base, cap at the max, and stop after max retries or the total budget", () => {
    const noJitter = () => 0;
    expect([...backoffDelays(defaultBackoff, noJitter)]).toEqual([20, 40, 80, 160, 320, 640]);
    expect([...backoffDelays({ ...defaultBackoff, maxRetries: 10 }, noJitter)]).toEqual([
      20, 40, 80, 160, 320, 640, 1000,
    ]);
    const jittered = [...backoffDelays(defaultBackoff, () => 1)];
    expect(jittered).toEqual([25, 50, 100, 200, 400, 800]);
  });

  it("errors are classified like Rust's classify_error", () => {
    expect(classifyError(conflictError())).toBe("conflict");
    expect(classifyError(transientError())).toBe("transient");
    expect(classifyError(fatalError())).toBe("fatal");
    expect(classifyError(new Error("not a FusioError"))).toBe("fatal");
  });
});
