// Rust fusio-manifest's transaction tests (src/manifest.rs, src/session.rs, src/lib.rs), on
// MemoryFs and on a local directory.
import type { CasFs } from "@fusio/core";
import type { Manifest } from "@fusio/manifest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Backend, backends, contextOf, decode, rejectsWith, stringManifest, TestClock, text } from "./helpers.ts";

describe.each(backends)("transactions on $name", (backend: Backend) => {
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

  const commit = async (entries: Record<string, string | null>, on: Manifest<string> = manifest): Promise<void> => {
    const tx = await on.writeSession();
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) tx.delete(key);
      else tx.put(key, value);
    }
    await tx.commit();
  };
  const activeLeases = async (): Promise<number> => {
    let count = 0;
    for await (const _ of fs.list("m/leases")) count++;
    return count;
  };

  it("head_store_put_if_semantics: HEAD is created once, then moved only with its tag", async () => {
    const { putHead, loadHead } = await import("../src/head.ts");
    const context = contextOf(fs, clock);
    const head = { version: 1, checkpointId: undefined, lastSegmentSeq: undefined, lastTxnId: 7 };
    const tag = await putHead(context, head, undefined);
    await rejectsWith(putHead(context, head, undefined), "PreconditionFailed");
    await putHead(context, { ...head, version: 2 }, tag);
    expect((await loadHead(context))?.head.version).toBe(2);
  });

  it("mem_segment_put_get_list: segments are created once, read back, and listed in order", async () => {
    const { SegmentStore } = await import("../src/segment.ts");
    const store = new SegmentStore(contextOf(fs, clock));
    await store.create(3, 12, text('{"txn_id":12,"records":[]}'));
    await store.create(1, 10, text('{"txn_id":10,"records":[]}'));
    await rejectsWith(store.create(1, 10, text("{}")), "PreconditionFailed");
    expect((await store.read(1)).txnId).toBe(10);
    expect(await store.list(0)).toEqual([1, 3]);
    expect(await store.list(2)).toEqual([3]);
    await rejectsWith(store.read(2), "NotFound");
  });

  it("mem_kv_end_to_end_and_conflict: two writers from one snapshot, the second commit loses", async () => {
    await commit({ a: "1", b: "2" });
    const snapshot = await manifest.snapshot();
    const session = await manifest.readSessionAt(snapshot);
    expect(await session.get("a")).toBe("1");
    expect(await session.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    await session.end();

    const s2 = await manifest.writeSession();
    const s3 = await stringManifest(fs, clock).writeSession();
    s2.put("a", "10");
    s3.delete("a");
    expect(await s2.commit()).toEqual({ txnId: 2, segmentSeq: 2 });
    await rejectsWith(s3.commit(), "PreconditionFailed");
    expect(await manifest.get("a")).toBe("10");
  });

  it("mem_kv_point_get_and_tombstone: a delete hides the key; others keep their values", async () => {
    await commit({ a: "1", b: "2" });
    expect(await manifest.get("a")).toBe("1");
    expect(await manifest.get("b")).toBe("2");
    await commit({ a: "10", b: null });
    expect(await manifest.get("a")).toBe("10");
    expect(await manifest.get("b")).toBeUndefined();
    expect(await manifest.scan()).toEqual([["a", "10"]]);
    await commit({ b: "3" });
    expect(await manifest.get("b")).toBe("3");
  });

  it("mem_session_at_acquires_and_releases_lease / read_session_end_releases_lease", async () => {
    await commit({ a: "1" });
    expect(await activeLeases()).toBe(0);
    const pinned = await manifest.readSessionAt(await manifest.snapshot());
    expect(await activeLeases()).toBe(1);
    expect(await pinned.get("a")).toBe("1");
    await pinned.end();
    expect(await activeLeases()).toBe(0);
    await rejectsWith(pinned.get("a"), "Closed");
    await pinned.end(); // twice is fine
  });

  it("mem_kv_compact_and_read_from_checkpoint: reads after compaction come from the checkpoint", async () => {
    await commit({ a: "1", b: "2" });
    await commit({ b: "20", c: "3" });
    const { checkpoint } = await manifest.compactor().compactOnce();
    expect(checkpoint.id).toBe("ckpt-00000000000000000002");
    const snapshot = await manifest.snapshot();
    expect(snapshot.checkpointSeq).toBe(2);
    const session = await manifest.readSessionAt(snapshot);
    expect(await session.get("a")).toBe("1");
    expect(await session.get("b")).toBe("20");
    expect(await session.get("c")).toBe("3");
    await session.end();
    await commit({ c: null, d: "4" });
    expect(await manifest.scan()).toEqual([
      ["a", "1"],
      ["b", "20"],
      ["d", "4"],
    ]);
    expect(await manifest.get("c")).toBeUndefined();
  });

  it("write_session_commits_fail_with_stale_head: HEAD moved by someone else", async () => {
    const writer = await manifest.writeSession();
    writer.put("k", "v2");
    const { putHead } = await import("../src/head.ts");
    await putHead(
      contextOf(fs, clock),
      { version: 1, checkpointId: undefined, lastSegmentSeq: 10, lastTxnId: 10 },
      undefined,
    );
    await rejectsWith(writer.commit(), "PreconditionFailed");
    expect(await activeLeases()).toBe(0);
  });

  it("write_session_commits_fail_with_conflict_last_segment: an orphan takes the segment, the retry adopts it", async () => {
    const writer = await manifest.writeSession();
    writer.put("k2", "v2");
    // A writer that crashed after writing its segment, before moving HEAD.
    await fs.putConditional(
      "m/segments/seg-00000000000000000001.json",
      text('{"txn_id":1,"records":[{"key":"k1","op":"Put","value":"v1"}]}'),
      { ifNotExists: true },
    );
    expect(await manifest.get("k1")).toBeUndefined();
    await rejectsWith(writer.commit(), "PreconditionFailed");
    await commit({ k2: "v2" });
    expect(await manifest.get("k1")).toBe("v1");
    expect(await manifest.get("k2")).toBe("v2");
  });

  it("write_session_prevents_write_skew: two on-call doctors both read, only one may go off call", async () => {
    await commit({ k1: "v1", k2: "v1" });
    const worker = async (key: string) => {
      const session = await stringManifest(fs, clock).writeSession();
      const all = await session.scan();
      return { session, count: all.filter(([, v]) => v === "v1").length, key };
    };
    const [a, b] = await Promise.all([worker("k1"), worker("k2")]);
    expect(a.count).toBe(2);
    expect(b.count).toBe(2);
    a.session.put(a.key, "v2");
    b.session.put(b.key, "v2");
    const results = await Promise.allSettled([a.session.commit(), b.session.commit()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason.kind).toBe("PreconditionFailed");
    const final = await manifest.scan();
    expect(final.filter(([, v]) => v === "v2")).toHaveLength(1);
  });

  it("write_sessions_serializable_conflict: of two disjoint writers from one snapshot exactly one commits", async () => {
    const w1 = await stringManifest(fs, clock).writeSession();
    const w2 = await stringManifest(fs, clock).writeSession();
    w1.put("key1", "val1");
    w2.put("key2", "val2");
    const results = await Promise.allSettled([w1.commit(), w2.commit()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const latest1 = await manifest.get("key1");
    const latest2 = await manifest.get("key2");
    if (results[0]?.status === "fulfilled") {
      expect([latest1, latest2]).toEqual(["val1", undefined]);
    } else {
      expect([latest1, latest2]).toEqual([undefined, "val2"]);
    }
  });

  it("read_session_observes_stable_snapshot: a commit between two reads changes neither", async () => {
    await commit({ k: "v0" });
    const reader = await manifest.readSession();
    const first = await reader.get("k");
    await commit({ k: "v1" });
    const second = await reader.get("k");
    expect([first, second]).toEqual(["v0", "v0"]);
    await reader.end();
    expect(await manifest.get("k")).toBe("v1");
  });

  it("concurrent_deletes_preserve_snapshot_and_serializability", async () => {
    await commit({ k: "value" });
    const reader = await manifest.readSession();
    const first = await reader.get("k");
    const d1 = await stringManifest(fs, clock).writeSession();
    const d2 = await stringManifest(fs, clock).writeSession();
    d1.delete("k");
    d2.delete("k");
    const results = await Promise.allSettled([d1.commit(), d2.commit()]);
    expect(await reader.get("k")).toBe(first);
    expect(first).toBe("value");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.kind).toBe(
      "PreconditionFailed",
    );
    await reader.end();
    expect(await manifest.get("k")).toBeUndefined();
  });

  it("read_session_prevents_phantoms: a key inserted after the snapshot never appears in its scans", async () => {
    await commit({ alpha: "1", beta: "2" });
    const reader = await manifest.readSession();
    const initial = (await reader.scan()).map(([k]) => k);
    await commit({ gamma: "3" });
    const after = (await reader.scan()).map(([k]) => k);
    expect(initial).toEqual(["alpha", "beta"]);
    expect(after).toEqual(initial);
    await reader.end();
    expect((await manifest.scan()).map(([k]) => k)).toContain("gamma");
  });

  it("read_session_range_no_phantoms: range scans are [start, end) and stable", async () => {
    await commit({ aa: "1", ab: "2", ba: "3", bb: "4" });
    const reader = await manifest.readSession();
    const range = { start: "ab", end: "bb" };
    const initial = await reader.scan(range);
    await commit({ bc: "5", ac: "6" });
    expect(initial).toEqual([
      ["ab", "2"],
      ["ba", "3"],
    ]);
    expect(await reader.scan(range)).toEqual(initial);
    await reader.end();
    expect((await manifest.scan({ start: "b" })).map(([k]) => k)).toEqual(["ba", "bb", "bc"]);
    expect((await manifest.scan({ end: "ab" })).map(([k]) => k)).toEqual(["aa"]);
  });

  it("concurrent_delete_vs_update_consistency: the winner decides the final value", async () => {
    await commit({ k: "v1" });
    const deleter = await stringManifest(fs, clock).writeSession();
    const updater = await stringManifest(fs, clock).writeSession();
    deleter.delete("k");
    updater.put("k", "v2");
    const [deleted, updated] = await Promise.allSettled([deleter.commit(), updater.commit()]);
    expect([deleted.status, updated.status].filter((s) => s === "fulfilled")).toHaveLength(1);
    expect(await manifest.get("k")).toBe(deleted.status === "fulfilled" ? undefined : "v2");
  });

  it("write_session_local_view_reflects_stage: own writes are visible to the writer only", async () => {
    await commit({ keep: "1", drop: "2" });
    const writer = await manifest.writeSession();
    writer.put("keep", "updated");
    writer.put("new", "fresh");
    writer.delete("drop");
    expect(await writer.get("keep")).toBe("updated");
    expect(await writer.get("new")).toBe("fresh");
    expect(await writer.get("drop")).toBeUndefined();
    expect(await writer.scan()).toEqual([
      ["keep", "updated"],
      ["new", "fresh"],
    ]);
    const reader = await manifest.readSession();
    expect(await reader.get("keep")).toBe("1");
    expect(await reader.get("drop")).toBe("2");
    expect(await reader.get("new")).toBeUndefined();
    await reader.end();
    await writer.commit();
    expect(await manifest.scan()).toEqual([
      ["keep", "updated"],
      ["new", "fresh"],
    ]);
  });

  it("abort drops the staged writes and releases the lease; a session is single-use", async () => {
    const writer = await manifest.writeSession();
    writer.put("x", "1");
    await writer.abort();
    expect(await activeLeases()).toBe(0);
    expect(() => writer.put("y", "2")).toThrow(/Closed/);
    await rejectsWith(writer.commit(), "Closed");
    expect(await manifest.get("x")).toBeUndefined();
    const committed = await manifest.writeSession();
    committed.put("x", "1");
    await committed.commit();
    await rejectsWith(committed.commit(), "Closed");
  });

  it("a new checkpoint alone is not a conflict: a writer that snapshotted before compaction commits", async () => {
    await commit({ a: "1" });
    const writer = await manifest.writeSession();
    await manifest.compactor().compactOnce();
    writer.put("b", "2");
    await writer.commit();
    expect(await manifest.scan()).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("every async call honours an AbortSignal", async () => {
    const signal = AbortSignal.abort();
    await rejectsWith(manifest.snapshot({ signal }), "Aborted");
    await rejectsWith(manifest.writeSession({ signal }), "Aborted");
    await rejectsWith(manifest.readSession({ signal }), "Aborted");
    await rejectsWith(manifest.get("a", { signal }), "Aborted");
    await rejectsWith(manifest.scan(undefined, { signal }), "Aborted");
    await rejectsWith(manifest.recoverOrphans({ signal }), "Aborted");
    await rejectsWith(manifest.compactor().compactOnce({ signal }), "Aborted");
    const writer = await manifest.writeSession();
    writer.put("a", "1");
    await rejectsWith(writer.get("a", { signal }), "Aborted");
    await rejectsWith(writer.commit({ signal }), "Aborted");
    await writer.commit();
    expect(await manifest.get("a")).toBe("1");
  });

  it("values go through the codec; the default stores JSON values as they are", async () => {
    const { Manifest } = await import("@fusio/manifest");
    const dates = new Manifest<Date>(fs, {
      prefix: "dates",
      clock,
      codec: { encode: (d) => d.toISOString(), decode: (s) => new Date(s as string) },
    });
    const tx = await dates.writeSession();
    tx.put("epoch", new Date(0));
    await tx.commit();
    expect((await dates.get("epoch"))?.getTime()).toBe(0);
    const stored = await fs.loadWithTag("dates/segments/seg-00000000000000000001.json");
    expect(decode(stored?.data ?? new Uint8Array())).toContain('"value":"1970-01-01T00:00:00.000Z"');
  });
});
