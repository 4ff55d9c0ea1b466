// Golden files: every JSON document of the manifest, byte for byte as Rust fusio-manifest's
// serde derives write it (see __fixtures__/README.md for the Rust struct each one mirrors).
import { readFileSync } from "node:fs";
import { MemoryFs } from "@fusio/memory";
import { describe, expect, it } from "vitest";
import {
  checkpointMetaFromJson,
  checkpointMetaToJson,
  checkpointPayloadFromJson,
  checkpointPayloadToJson,
} from "../src/checkpoint.ts";
import { gcPlanFromJson, gcPlanToJson } from "../src/gc.ts";
import { headFromJson, headToJson } from "../src/head.ts";
import { encodeJson } from "../src/json.ts";
import { leaseFromJson, leaseToJson } from "../src/lease.ts";
import { segmentFromJson, segmentToJson } from "../src/segment.ts";
import { decode, stringManifest, TestClock } from "./helpers.ts";

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
const parse = (name: string): unknown => JSON.parse(decode(fixture(name)));

describe("golden documents (serde shapes of Rust fusio-manifest)", () => {
  it("HEAD.json mirrors head.rs HeadJson", () => {
    const head = { version: 1, checkpointId: "ckpt-00000000000000000002", lastSegmentSeq: 3, lastTxnId: 3 };
    expect(encodeJson(headToJson(head))).toEqual(fixture("head.json"));
    expect(headFromJson(parse("head.json"), "HEAD.json")).toEqual(head);
    const empty = { version: 1, checkpointId: undefined, lastSegmentSeq: undefined, lastTxnId: 0 };
    expect(encodeJson(headToJson(empty))).toEqual(fixture("head-empty.json"));
    expect(headFromJson(parse("head-empty.json"), "HEAD.json")).toEqual(empty);
  });

  it("segments mirror manifest.rs Segment/Record/Op (value skipped on Del)", () => {
    const segment = {
      txnId: 7,
      records: [
        { key: "tables/users", op: "Put" as const, value: { files: ["users-0001.parquet"], rows: 42 } },
        { key: "tables/tmp", op: "Del" as const },
      ],
    };
    expect(encodeJson(segmentToJson(segment))).toEqual(fixture("segment.json"));
    expect(segmentFromJson(parse("segment.json"), "seg")).toEqual(segment);
  });

  it("checkpoint metadata mirrors checkpoint.rs CheckpointMeta", () => {
    const meta = {
      lsn: 2,
      keyCount: 2,
      byteSize: 94,
      createdAtMs: 1_700_000_000_000,
      format: "application/json",
      lastSegmentSeqAtCkpt: 2,
    };
    expect(encodeJson(checkpointMetaToJson(meta))).toEqual(fixture("checkpoint-meta.json"));
    expect(checkpointMetaFromJson(parse("checkpoint-meta.json"), "meta")).toEqual(meta);
  });

  it("checkpoint payloads mirror compactor.rs CkptPayload (entries as [key, value] pairs)", () => {
    const entries: Array<[string, unknown]> = [
      ["tables/orders", { files: [] }],
      ["tables/users", { files: ["users-0001.parquet"] }],
    ];
    const bytes = encodeJson(checkpointPayloadToJson(entries));
    expect(bytes).toEqual(fixture("checkpoint-payload.json"));
    expect(bytes.byteLength).toBe(94);
    expect(checkpointPayloadFromJson(parse("checkpoint-payload.json"), "ckpt")).toEqual(entries);
  });

  it("leases mirror lease/mod.rs LeaseDoc (head_tag skipped when None)", () => {
    const lease = { id: "lease-1700000000000", snapshotTxnId: 4, expiresAtMs: 1_700_000_060_000, headTag: '"etag-4"' };
    expect(encodeJson(leaseToJson(lease))).toEqual(fixture("lease.json"));
    expect(leaseFromJson(parse("lease.json"), "lease")).toEqual(lease);
    const bare = { id: "lease-1700000000000-2", snapshotTxnId: 0, expiresAtMs: 1_700_000_060_000, headTag: undefined };
    expect(encodeJson(leaseToJson(bare))).toEqual(fixture("lease-without-head-tag.json"));
    expect(leaseFromJson(parse("lease-without-head-tag.json"), "lease")).toEqual(bare);
  });

  it("gc/GARBAGE mirrors gc.rs GcPlan (not_before as whole milliseconds)", () => {
    const plan = {
      againstHeadTag: '"etag-9"',
      notBeforeMs: 1_700_000_030_000,
      deleteSegments: [{ start: 1, end: 5 }],
      deleteCheckpoints: ["ckpt-00000000000000000001"],
      makeCheckpoints: [{ name: "ckpt-00000000000000000009", uptoLsn: 9 }],
    };
    expect(encodeJson(gcPlanToJson(plan))).toEqual(fixture("gc-plan.json"));
    expect(gcPlanFromJson(parse("gc-plan.json"), "gc")).toEqual(plan);
    const empty = {
      againstHeadTag: undefined,
      notBeforeMs: 0,
      deleteSegments: [],
      deleteCheckpoints: [],
      makeCheckpoints: [],
    };
    expect(encodeJson(gcPlanToJson(empty))).toEqual(fixture("gc-plan-empty.json"));
  });

  it("a manifest stores exactly these documents under the Rust key layout", async () => {
    const fs = new MemoryFs();
    const clock = new TestClock();
    const manifest = stringManifest(fs, clock, { retention: { checkpointsMinTtlMs: 0, checkpointsKeepLast: 0 } });
    for (const value of ["a", "b"]) {
      const tx = await manifest.writeSession();
      tx.put("k", value);
      await tx.commit();
    }
    const reader = await manifest.readSession();
    await manifest.compactor().compactOnce();
    const keys: string[] = [];
    for await (const entry of fs.list("m", { recursive: true })) keys.push(entry.path.toString());
    expect(keys).toEqual([
      "m/HEAD.json",
      "m/checkpoints/ckpt-00000000000000000002.json",
      "m/checkpoints/ckpt-00000000000000000002.meta.json",
      `m/leases/${"lease-1700000000000"}.json`,
      "m/segments/seg-00000000000000000001.json",
      "m/segments/seg-00000000000000000002.json",
    ]);
    const read = async (key: string): Promise<string> => decode((await fs.loadWithTag(key))?.data ?? new Uint8Array());
    expect(await read("m/HEAD.json")).toBe(
      '{"version":1,"checkpoint_id":"ckpt-00000000000000000002","last_segment_seq":2,"last_txn_id":2}',
    );
    expect(await read("m/segments/seg-00000000000000000002.json")).toBe(
      '{"txn_id":2,"records":[{"key":"k","op":"Put","value":"b"}]}',
    );
    expect(await read("m/checkpoints/ckpt-00000000000000000002.json")).toBe('{"entries":[["k","b"]]}');
    expect(await read("m/checkpoints/ckpt-00000000000000000002.meta.json")).toBe(
      '{"lsn":2,"key_count":1,"byte_size":23,"created_at_ms":1700000000000,"format":"application/json","last_segment_seq_at_ckpt":2}',
    );
    expect(Object.keys(JSON.parse(await read("m/leases/lease-1700000000000.json")))).toEqual([
      "id",
      "snapshot_txn_id",
      "expires_at_ms",
      "head_tag",
    ]);
    await reader.end();
  });
});
