// Rust fusio-manifest's orphan-recovery tests (src/manifest.rs mem_recover_orphans_*), plus the
// commit cases the port settles differently (a commit whose segment was adopted succeeds).
import type { CasFs } from "@fusio/core";
import type { Manifest } from "@fusio/manifest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadHead } from "../src/head.ts";
import { LeaseStore } from "../src/lease.ts";
import {
  type Backend,
  backends,
  conflictError,
  contextOf,
  FaultyFs,
  fatalError,
  rejectsWith,
  stringManifest,
  TestClock,
  text,
} from "./helpers.ts";

const segmentKey = (seq: number): string => `m/segments/seg-${String(seq).padStart(20, "0")}.json`;
const orphan = (txn: number, key: string, value: string): Uint8Array =>
  text(JSON.stringify({ txn_id: txn, records: [{ key, op: "Put", value }] }));

describe.each(backends)("orphan recovery on $name", (backend: Backend) => {
  let fs: CasFs;
  let cleanup: () => void;
  let clock: TestClock;
  let manifest: Manifest<string>;

  beforeEach(() => {
    ({ fs, cleanup } = backend.create());
    clock = new TestClock();
    manifest = stringManifest(fs, clock);
  });
  afterEach(() => cleanup());

  it("mem_recover_orphans_no_head_adopts_seq1", async () => {
    await fs.putConditional(
      segmentKey(1),
      text('{"txn_id":1,"records":[{"key":"a","op":"Put","value":"1"},{"key":"b","op":"Put","value":"2"}]}'),
      { ifNotExists: true },
    );
    expect(await manifest.recoverOrphans()).toBe(1);
    const head = await loadHead(contextOf(fs, clock));
    expect(head?.head.lastSegmentSeq).toBe(1);
    expect(head?.head.lastTxnId).toBe(1);
    expect(await manifest.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("mem_recover_orphans_respects_active_leases: an in-flight writer's segment waits", async () => {
    await fs.putConditional(segmentKey(1), orphan(1, "a", "1"), { ifNotExists: true });
    const leases = new LeaseStore(contextOf(fs, clock));
    const lease = await leases.create(1, undefined, 60_000);
    expect(await manifest.recoverOrphans()).toBe(0);
    expect(await loadHead(contextOf(fs, clock))).toBeUndefined();
    await leases.release(lease);
    expect(await manifest.recoverOrphans()).toBe(1);
    expect((await loadHead(contextOf(fs, clock)))?.head).toMatchObject({ lastSegmentSeq: 1, lastTxnId: 1 });
  });

  it("an expired lease no longer protects its segment", async () => {
    await fs.putConditional(segmentKey(1), orphan(1, "a", "1"), { ifNotExists: true });
    await new LeaseStore(contextOf(fs, clock)).create(1, undefined, 60_000);
    expect(await manifest.recoverOrphans()).toBe(0);
    clock.advance(60_001);
    expect(await manifest.recoverOrphans()).toBe(1);
  });

  it("mem_recover_orphans_gap_does_not_adopt", async () => {
    await fs.putConditional(segmentKey(2), orphan(1, "a", "1"), { ifNotExists: true });
    expect(await manifest.recoverOrphans()).toBe(0);
    expect(await loadHead(contextOf(fs, clock))).toBeUndefined();
  });

  it("a segment whose txn id does not follow HEAD is not adopted", async () => {
    await fs.putConditional(segmentKey(1), orphan(5, "a", "1"), { ifNotExists: true });
    expect(await manifest.recoverOrphans()).toBe(0);
  });

  it("mem_recover_orphans_advances_over_existing_head (and adopts a contiguous run)", async () => {
    const tx = await manifest.writeSession();
    tx.put("a", "1");
    await tx.commit();
    await fs.putConditional(segmentKey(2), orphan(2, "b", "2"), { ifNotExists: true });
    await fs.putConditional(segmentKey(3), orphan(3, "c", "3"), { ifNotExists: true });
    await fs.putConditional(segmentKey(5), orphan(5, "e", "5"), { ifNotExists: true });
    expect(await manifest.recoverOrphans()).toBe(2);
    expect((await loadHead(contextOf(fs, clock)))?.head).toMatchObject({ lastSegmentSeq: 3, lastTxnId: 3 });
    expect(await manifest.get("c")).toBe("3");
    expect(await manifest.get("e")).toBeUndefined();
  });
});

describe("orphan recovery with injected faults", () => {
  it("mem_recover_orphans_retries_on_conflicting_head", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    await fs.putConditional(segmentKey(1), orphan(1, "a", "1"), { ifNotExists: true });
    fs.fail("putConditional", "HEAD.json", 1, conflictError);
    expect(await manifest.recoverOrphans()).toBe(1);
    expect((await loadHead(contextOf(fs, clock)))?.head).toMatchObject({ lastSegmentSeq: 1, lastTxnId: 1 });
    expect(clock.slept.length).toBe(1);
  });

  it("gives up with PreconditionFailed when HEAD keeps moving", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    await fs.putConditional(segmentKey(1), orphan(1, "a", "1"), { ifNotExists: true });
    fs.fail("putConditional", "HEAD.json", 100, conflictError);
    await rejectsWith(manifest.recoverOrphans(), "PreconditionFailed");
  });
});

describe("commits that lose HEAD after writing their segment", () => {
  it("a writer stalled past its lease: its adopted segment makes the commit succeed, applied once", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const slow = stringManifest(fs, clock);
    const tx = await slow.writeSession();
    tx.put("a", "1");
    // Before the slow writer's HEAD write, its lease lapses and another process adopts the
    // segment; the HEAD write then loses its CAS for real.
    const inner = fs.inner;
    const original = inner.putConditional.bind(inner);
    let adopted = 0;
    inner.putConditional = async (path, data, when, options) => {
      if (adopted === 0 && String(path).endsWith("HEAD.json")) {
        clock.advance(60_001);
        inner.putConditional = original;
        adopted = await stringManifest(inner, clock).recoverOrphans();
      }
      return original(path, data, when, options);
    };
    expect(await tx.commit()).toEqual({ txnId: 1, segmentSeq: 1 });
    expect(adopted).toBe(1);
    const other = stringManifest(fs, clock);
    const next = await other.writeSession();
    next.put("b", "2");
    expect(await next.commit()).toEqual({ txnId: 2, segmentSeq: 2 });
    expect(await other.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("a HEAD write whose response was lost is recognised as landed", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    const tx = await manifest.writeSession();
    tx.put("a", "1");
    const inner = fs.inner;
    // Let the write land, then report a transient failure.
    const original = inner.putConditional.bind(inner);
    let lost = false;
    inner.putConditional = async (path, data, when, options) => {
      const tag = await original(path, data, when, options);
      if (!lost && String(path).endsWith("HEAD.json")) {
        lost = true;
        throw new (await import("@fusio/core")).FusioError("Io", "connection reset after write");
      }
      return tag;
    };
    expect(await tx.commit()).toEqual({ txnId: 1, segmentSeq: 1 });
    expect(lost).toBe(true);
    expect(await manifest.get("a")).toBe("1");
  });

  it("a segment write whose response was lost is recognised as ours", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    const tx = await manifest.writeSession();
    tx.put("a", "1");
    const inner = fs.inner;
    const original = inner.putConditional.bind(inner);
    let lost = false;
    inner.putConditional = async (path, data, when, options) => {
      const tag = await original(path, data, when, options);
      if (!lost && String(path).includes("/segments/")) {
        lost = true;
        throw new (await import("@fusio/core")).FusioError("Io", "connection reset after write");
      }
      return tag;
    };
    expect(await tx.commit()).toEqual({ txnId: 1, segmentSeq: 1 });
    expect(await manifest.get("a")).toBe("1");
  });

  it("a commit that fails after its segment is written can be finished by calling commit() again", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    const tx = await manifest.writeSession();
    tx.put("a", "1");
    fs.fail("putConditional", "HEAD.json", 1, fatalError);
    await rejectsWith(tx.commit(), "PermissionDenied");
    expect(() => tx.put("b", "2")).toThrow(/Closed/);
    expect(await tx.commit()).toEqual({ txnId: 1, segmentSeq: 1 });
    expect(await manifest.scan()).toEqual([["a", "1"]]);
  });

  it("a decided transaction left alone is adopted once its lease lapses, exactly once", async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock);
    const tx = await manifest.writeSession();
    tx.put("a", "1");
    fs.fail("putConditional", "HEAD.json", 1, fatalError);
    await rejectsWith(tx.commit(), "PermissionDenied");
    expect(await manifest.recoverOrphans()).toBe(0); // its lease still protects it
    clock.advance(60_001);
    const next = await manifest.writeSession(); // recovery adopts it first
    next.put("b", "2");
    expect(await next.commit()).toEqual({ txnId: 2, segmentSeq: 2 });
    expect(await manifest.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });
});
