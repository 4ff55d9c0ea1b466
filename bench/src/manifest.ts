// @fusio/manifest: commits per second with 1 and 8 writers on memory, local disk and a Ceph RGW,
// next to the floor of what any commit protocol on conditional writes pays, two of them per
// commit (a segment written if absent, then HEAD replaced if its tag still matches). A commit
// here is a read-modify-write of one counter: write session, get, put, commit, retried from a
// new session on PreconditionFailed; the 8 writers race for the same counter, so the lost
// races are part of the price. The floor's 8 writers write their own objects (no contention):
// the backend's conditional-write throughput at 8 in flight. One compaction with GC runs every
// 64 commits, inside the timed commit, as a host would schedule it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CasFs, FusioError } from "@fusio/core";
import { Manifest } from "@fusio/manifest";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { createBucket } from "@fusio-internal/test-support/s3-test-config";
import type { BenchCase, BenchGroup } from "./harness.ts";
import { startS3 } from "./servers.ts";

const WRITERS = [1, 8];
const COMPACT_EVERY = 64;
const FLOOR = "2 conditional writes (if-not-exists + if-match): the floor";
const COMMIT = "Manifest commit (read-modify-write, retried on a lost race)";

interface Backend {
  name: string;
  fs: CasFs;
  /** Operations per case per round. */
  ops: number;
}

/** The floor: per lane, a new "segment" if absent, then its "HEAD" replaced on the tag it has. */
function floorCase(fs: CasFs, prefix: string, writers: number): BenchCase {
  const body = new TextEncoder().encode('{"txn_id":1,"records":[]}');
  const lanes = Array.from({ length: writers }, (_, lane) => ({ lane, seq: 0, tag: undefined as string | undefined }));
  const free = [...lanes];
  return {
    name: FLOOR,
    concurrency: writers,
    op: async () => {
      const lane = free.pop() as (typeof lanes)[number];
      try {
        const dir = `${prefix}/floor/${lane.lane}`;
        await fs.putConditional(`${dir}/seg-${++lane.seq}.json`, body, { ifNotExists: true });
        lane.tag = await fs.putConditional(
          `${dir}/HEAD.json`,
          body,
          lane.tag === undefined ? { ifNotExists: true } : { ifMatch: lane.tag },
        );
      } finally {
        free.push(lane);
      }
    },
  };
}

function commitCase(fs: CasFs, prefix: string, writers: number): BenchCase {
  const manifest = new Manifest<number>(fs, { prefix: `${prefix}/manifest` });
  const compactor = manifest.compactor();
  let commits = 0;
  return {
    name: COMMIT,
    concurrency: writers,
    op: async () => {
      for (;;) {
        const session = await manifest.writeSession();
        session.put("counter", ((await session.get("counter")) ?? 0) + 1);
        try {
          await session.commit();
          break;
        } catch (error) {
          if (!FusioError.is(error, "PreconditionFailed")) throw error;
        }
      }
      if (++commits % COMPACT_EVERY === 0) await compactor.compactAndGc().catch(ignoreLostRace);
    },
  };
}

function ignoreLostRace(error: unknown): void {
  if (!FusioError.is(error, "PreconditionFailed")) throw error;
}

function groups(backend: Backend, teardown?: () => Promise<void>): BenchGroup[] {
  return WRITERS.map((writers, i) => {
    const prefix = `bench-manifest-${Date.now().toString(36)}-${writers}`;
    return {
      title: `@fusio/manifest on ${backend.name}: commits/s, ${writers} writer${writers > 1 ? "s" : ""}`,
      baseline: FLOOR,
      opsPerRound: backend.ops,
      rounds: 5,
      warmup: Math.max(4, backend.ops >> 3),
      cases: [floorCase(backend.fs, prefix, writers), commitCase(backend.fs, prefix, writers)],
      ...(i === WRITERS.length - 1 && teardown !== undefined && { teardown }),
    };
  });
}

export async function manifestGroups(): Promise<BenchGroup[]> {
  const dir = mkdtempSync(join(tmpdir(), "fusio-bench-manifest-"));
  const removeDir = async (): Promise<void> => rmSync(dir, { recursive: true, force: true });
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const result = [
    ...groups({ name: "memory", fs: new MemoryFs(), ops: 400 }),
    ...groups({ name: "local disk (NodeFs)", fs: new NodeFs({ root: dir }), ops: 100 }, removeDir),
  ];
  const server = await startS3();
  if ("unavailable" in server) {
    console.warn(`manifest benchmark on S3 skipped: ${server.unavailable}`);
    return result;
  }
  const bucket = process.env.S3_BUCKET ?? "fusio-bench";
  const { config } = server;
  await createBucket({ ...config, bucket, cephPacific: false });
  const compat =
    process.env.S3_ENDPOINT && process.env.S3_COMPAT !== "ceph-pacific" ? {} : { compat: CEPH_PACIFIC_COMPAT };
  const fs = new S3Fs({
    bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...compat,
  });
  return [...result, ...groups({ name: `S3 (${server.description})`, fs, ops: 24 }, () => server.stop())];
}
