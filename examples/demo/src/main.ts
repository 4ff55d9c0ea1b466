// pnpm demo: the tour on every backend that is configured here. Memory and local disk (a
// temporary directory) need nothing; S3 runs when S3_ENDPOINT (or AWS_REGION with a bucket)
// and credentials are set: S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION, and
// S3_COMPAT=ceph-pacific for a Ceph RGW Pacific server.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fs } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { tour } from "./tour.ts";

const cleanups: Array<() => Promise<void>> = [];

/** Each backend: how to open it, and for those that need settings, what to set. */
const backends: Array<{ name: string; open: () => Promise<Fs | undefined>; needs?: string }> = [
  { name: "memory", open: async () => new MemoryFs() },
  {
    name: "local disk",
    open: async () => {
      const root = await mkdtemp(join(tmpdir(), "fusio-demo-"));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      return new NodeFs({ root });
    },
  },
  {
    name: "s3",
    needs:
      "set S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_ENDPOINT (or S3_REGION for AWS); " +
      "S3_COMPAT=ceph-pacific for Ceph RGW Pacific",
    open: async () => {
      const { S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION, S3_COMPAT } = process.env;
      if (!S3_BUCKET || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY || !(S3_ENDPOINT || S3_REGION)) return undefined;
      return new S3Fs({
        bucket: S3_BUCKET,
        region: S3_REGION ?? "us-east-1",
        endpoint: S3_ENDPOINT,
        credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
        compat: S3_COMPAT === "ceph-pacific" ? CEPH_PACIFIC_COMPAT : undefined,
      });
    },
  },
];

for (const backend of backends) {
  const fs = await backend.open();
  if (fs === undefined) {
    console.log(`\n== ${backend.name}: not configured, skipped (${backend.needs ?? "no settings known"})`);
    continue;
  }
  console.log(`\n== ${backend.name} (${fs.kind}, ${fs.id})`);
  await tour(fs, (line) => console.log(`  ${line}`));
}

for (const cleanup of cleanups) await cleanup();
