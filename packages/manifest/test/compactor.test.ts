// Rust fusio-manifest's GC-plan and compactor tests (src/gc.rs, src/compactor.rs), plus the
// retention rules on both backends.
import type { CasFs } from "@fusio/core";
import type { Manifest } from "@fusio/manifest";
import { MemoryFs } from "@fusio/memory";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyGcPlan, GcPlanStore, gcPlanFromJson, gcPlanToJson, isEmptyGcPlan } from "../src/gc.ts";
import { loadHead } from "../src/head.ts";
import {
  type Backend,
  backends,
  contextOf,
  FaultyFs,
  fatalError,
  rejectsWith,
  stringManifest,
  TestClock,
} from "./helpers.ts";

const keysUnder = async (fs: CasFs, dir: string): Promise<string[]> => {
  const out: string[] = [];
  for await (const entry of fs.list(dir)) out.push(entry.path.filename() ?? "");
  return out;
};

describe("GC plan store", () => {
  it("empty_by_default", () => {
    const plan = emptyGcPlan();
    expect(isEmptyGcPlan(plan)).toBe(true);
    expect(gcPlanFromJson(JSON.parse(JSON.stringify(gcPlanToJson(plan))), "gc")).toEqual(plan);
  });

  it("mem_gc_plan_store_semantics: created once, replaced only with its tag", async () => {
    const store = new GcPlanStore(contextOf(new MemoryFs(), new TestClock()));
    expect(await store.load()).toBeUndefined();
    const tag1 = await store.put(emptyGcPlan(), { ifNotExists: true });
    expect((await store.load())?.tag).toBe(tag1);
    await rejectsWith(store.put(emptyGcPlan(), { ifNotExists: true }), "PreconditionFailed");
    await rejectsWith(store.put({ ...emptyGcPlan(), notBeforeMs: 1 }, { ifMatch: "bad" }), "PreconditionFailed");
    const tag2 = await store.put({ ...emptyGcPlan(), notBeforeMs: 2 }, { ifMatch: tag1 });
    const loaded = await store.load();
    expect(loaded?.tag).toBe(tag2);
    expect(loaded?.plan.notBeforeMs).toBe(2);
    expect(tag2).not.toBe(tag1);
  });
});

describe.each(backends)("compactor on $name", (backend: Backend) => {
  let fs: CasFs;
  let cleanup: () => void;
  let clock: TestClock;
  let manifest: Manifest<string>;

  beforeEach(() => {
    ({ fs, cleanup } = backend.create());
    clock = new TestClock();
    manifest = stringManifest(fs, clock, { retention: { checkpointsKeepLast: 1, checkpointsMinTtlMs: 0 } });
  });
  afterEach(() => cleanup());

  const commit = async (key: string, value: string): Promise<void> => {
    const tx = await manifest.writeSession();
    tx.put(key, value);
    await tx.commit();
  };

  it("headless_compactor_invokes_manifest_logic: a compactor on a separate instance runs a pass", async () => {
    await commit("a", "1");
    await commit("b", "2");
    await stringManifest(fs, clock).compactor().runOnce();
    expect((await manifest.snapshot()).checkpointId).toBe("ckpt-00000000000000000002");
    expect(await manifest.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("compacting an empty manifest writes an empty checkpoint and a HEAD for it", async () => {
    const { checkpoint } = await manifest.compactor().compactOnce();
    expect(checkpoint.meta).toMatchObject({ lsn: 0, keyCount: 0, lastSegmentSeqAtCkpt: 0 });
    expect(await manifest.scan()).toEqual([]);
    await commit("a", "1");
    expect(await manifest.get("a")).toBe("1");
  });

  it("compute_plan_no_head_or_no_leases_yields_none: no HEAD, no plan", async () => {
    expect(await manifest.compactor().gcCompute()).toBeUndefined();
    expect(await new GcPlanStore(contextOf(fs, clock)).load()).toBeUndefined();
  });

  it("compactAndGc deletes segments folded into a checkpoint when no lease needs them", async () => {
    for (const v of ["1", "2", "3"]) await commit(`k${v}`, v);
    clock.advance(1);
    await manifest.compactor().compactAndGc();
    expect(await keysUnder(fs, "m/segments")).toEqual([]);
    await commit("k4", "4");
    clock.advance(1);
    await manifest.compactor().compactAndGc();
    // keep-last 1 and TTL 0: only the newest checkpoint survives.
    expect(await keysUnder(fs, "m/checkpoints")).toEqual([
      "ckpt-00000000000000000004.json",
      "ckpt-00000000000000000004.meta.json",
    ]);
    expect((await manifest.scan()).map(([k]) => k)).toEqual(["k1", "k2", "k3", "k4"]);
  });

  it("compactAndGc keeps what a leased reader needs (watermark) and the reader still sees its snapshot", async () => {
    await commit("a", "1");
    const reader = await manifest.readSession(); // lease at txn 1, no checkpoint
    await commit("a", "2");
    await commit("b", "3");
    await manifest.compactor().compactAndGc();
    // The reader's snapshot (txn 1) predates every checkpoint: no floor, nothing deleted.
    expect(await keysUnder(fs, "m/segments")).toHaveLength(3);
    expect(await reader.get("a")).toBe("1");
    expect(await reader.scan()).toEqual([["a", "1"]]);
    await reader.end();
    await manifest.compactor().compactAndGc();
    expect(await keysUnder(fs, "m/segments")).toEqual([]);
  });

  it("a write session whose segments were collected reads from the newer checkpoint instead", async () => {
    await commit("a", "1");
    await commit("b", "2");
    const writer = await manifest.writeSession(); // snapshot txn 2, no checkpoint, lease txn 3
    await manifest.compactor().compactAndGc(); // checkpoint at txn 2 < 3: segments 1..2 go
    expect(await keysUnder(fs, "m/segments")).toEqual([]);
    expect(await writer.get("a")).toBe("1");
    expect(await writer.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    writer.put("c", "3");
    await writer.commit();
    expect((await manifest.scan()).map(([k]) => k)).toEqual(["a", "b", "c"]);
  });

  it("checkpoints younger than the TTL, among the last N, the floor or HEAD's are kept", async () => {
    const keeper = stringManifest(fs, clock, { retention: { checkpointsKeepLast: 2, checkpointsMinTtlMs: 60_000 } });
    for (const v of ["1", "2", "3", "4"]) {
      await commit("k", v);
      await keeper.compactor().compactOnce();
    }
    await keeper.compactor().compactAndGc();
    expect((await keysUnder(fs, "m/checkpoints")).filter((n) => n.endsWith(".meta.json"))).toHaveLength(4);
    clock.advance(60_000);
    await keeper.compactor().compactAndGc();
    expect((await keysUnder(fs, "m/checkpoints")).filter((n) => n.endsWith(".meta.json"))).toEqual([
      "ckpt-00000000000000000003.meta.json",
      "ckpt-00000000000000000004.meta.json",
    ]);
  });

  it("the shared plan: compute, apply, wait segmentsMinTtl, delete and reset; and again", async () => {
    for (const v of ["1", "2", "3"]) await commit(`k${v}`, v);
    const compactor = manifest.compactor();
    await compactor.compactOnce();
    const plans = new GcPlanStore(contextOf(fs, clock));
    const tag = await compactor.gcCompute();
    expect(tag).toBeDefined();
    const { plan } = (await plans.load()) ?? { plan: emptyGcPlan() };
    expect(plan.deleteSegments).toEqual([{ start: 1, end: 3 }]);
    expect(plan.notBeforeMs).toBe(clock.now() + 30_000);
    expect(await compactor.gcCompute()).toBeUndefined(); // one pending plan at a time
    await compactor.gcApply();
    await compactor.gcDeleteAndReset();
    expect(await keysUnder(fs, "m/segments")).toHaveLength(3); // not before its time
    clock.advance(30_000);
    await compactor.gcDeleteAndReset();
    expect(await keysUnder(fs, "m/segments")).toEqual([]);
    expect(isEmptyGcPlan((await plans.load())?.plan ?? emptyGcPlan())).toBe(true);
    // A finished plan does not block the next one (it does in Rust).
    await commit("k4", "4");
    await compactor.compactOnce();
    expect(await compactor.gcCompute()).toBeDefined();
    expect((await manifest.scan()).map(([k]) => k)).toEqual(["k1", "k2", "k3", "k4"]);
  });

  it("gcApply voids a plan computed against an older HEAD", async () => {
    for (const v of ["1", "2"]) await commit(`k${v}`, v);
    const compactor = manifest.compactor();
    await compactor.compactOnce();
    await compactor.gcCompute();
    await commit("k3", "3");
    await compactor.gcApply();
    const plans = new GcPlanStore(contextOf(fs, clock));
    expect(isEmptyGcPlan((await plans.load())?.plan ?? emptyGcPlan())).toBe(true);
    clock.advance(30_000);
    await compactor.gcDeleteAndReset();
    expect(await keysUnder(fs, "m/segments")).toHaveLength(3);
  });

  it("gcApply moves HEAD to a checkpoint that covers the plan when HEAD's does not", async () => {
    for (const v of ["1", "2"]) await commit(`k${v}`, v);
    const compactor = manifest.compactor();
    await compactor.compactOnce();
    const plans = new GcPlanStore(contextOf(fs, clock));
    const head = await loadHead(contextOf(fs, clock));
    // HEAD without a checkpoint, and a plan against it.
    const { putHead } = await import("../src/head.ts");
    const bare = await putHead(
      contextOf(fs, clock),
      { ...(head?.head ?? ({} as never)), checkpointId: undefined },
      head?.tag,
    );
    await plans.put(
      { ...emptyGcPlan(), againstHeadTag: bare, deleteSegments: [{ start: 1, end: 2 }] },
      { ifNotExists: true },
    );
    await compactor.gcApply();
    expect((await loadHead(contextOf(fs, clock)))?.head.checkpointId).toBe("ckpt-00000000000000000002");
  });
});

describe("GC failures keep the plan", () => {
  const setup = async () => {
    const fs = new FaultyFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock, { retention: { checkpointsKeepLast: 0, checkpointsMinTtlMs: 0 } });
    for (const v of ["1", "2"]) {
      const tx = await manifest.writeSession();
      tx.put(`k${v}`, v);
      await tx.commit();
      await manifest.compactor().compactOnce();
    }
    const plans = new GcPlanStore(contextOf(fs, clock));
    return { fs, clock, manifest, plans };
  };

  it("gc_delete_and_reset_segment_failure_preserves_plan", async () => {
    const { fs, manifest, plans } = await setup();
    const plan = { ...emptyGcPlan(), againstHeadTag: "etag", deleteSegments: [{ start: 1, end: 2 }] };
    const tag = await plans.put(plan, { ifNotExists: true });
    fs.fail("remove", "/segments/", 1, fatalError);
    const before = fs.calls.remove;
    await rejectsWith(manifest.compactor().gcDeleteAndReset(), "PermissionDenied");
    expect(fs.calls.remove - before).toBe(1);
    expect(await plans.load()).toEqual({ plan, tag });
  });

  it("gc_delete_and_reset_checkpoint_failure_preserves_plan", async () => {
    const { fs, manifest, plans } = await setup();
    const plan = { ...emptyGcPlan(), againstHeadTag: "etag", deleteCheckpoints: ["ckpt-00000000000000000001"] };
    const tag = await plans.put(plan, { ifNotExists: true });
    fs.fail("remove", "/checkpoints/", 1, fatalError);
    const before = fs.calls.remove;
    await rejectsWith(manifest.compactor().gcDeleteAndReset(), "PermissionDenied");
    expect(fs.calls.remove - before).toBe(1);
    expect(await plans.load()).toEqual({ plan, tag });
  });

  it("segments HEAD's checkpoint does not cover are never deleted by a plan", async () => {
    const { fs, manifest, plans } = await setup();
    await plans.put({ ...emptyGcPlan(), deleteSegments: [{ start: 1, end: 9 }] }, { ifNotExists: true });
    await manifest.compactor().gcDeleteAndReset();
    expect(await keysUnder(fs, "m/segments")).toHaveLength(2);
  });
});
