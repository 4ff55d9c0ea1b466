// Every peer's local and Azure job really does the job (S3 jobs are proven by `pnpm bench`,
// which starts Ceph RGW): each runs once from its bundle against a temp dir / real Azurite.
import { describe, expect, it } from "vitest";
import { discoverJobs, type JobEntry } from "../src/size/catalog.ts";
import { countLoadedLazyChunks, isCell, measureSizes } from "../src/size/measure.ts";
import { proveJobs } from "../src/size/prove.ts";

describe("size jobs", () => {
  it("finds a floor for every kind and the peers the issue names", () => {
    const ids = discoverJobs().map((job) => job.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "s3/aws-sdk",
        "s3/minio",
        "s3/unstorage",
        "s3/flydrive",
        "s3/aws4fetch",
        "azure/azure-sdk",
        "azure/azure-sdk-sas",
        "azure/floor",
        "local/node-fs",
        "local/unstorage",
        "local/flydrive",
      ]),
    );
    for (const kind of ["s3", "azure", "local"]) {
      expect(discoverJobs().filter((job) => job.kind === kind && job.isFloor)).toHaveLength(1);
    }
  });

  it("local and Azure jobs read, write and list what they should", { timeout: 120_000 }, async () => {
    const jobs = discoverJobs().filter((job) => job.kind !== "s3");
    const { proofs, servers } = await proveJobs(jobs);
    expect(servers.azure).toContain("Azurite");
    expect(proofs.map((proof) => [proof.id, proof.status]).sort()).toEqual(
      jobs.map((job) => [job.id, "proven"]).sort(),
    );
    // `pnpm check` counts what loads with the entry; fusio's jobs must not need more than that.
    for (const proof of proofs.filter((entry) => entry.id.endsWith("/fusio"))) {
      expect([proof.id, proof.lazyLoaded?.chunks]).toEqual([proof.id, 0]);
    }
  });

  it("a lazy chunk the job loads while it runs counts toward its size", { timeout: 60_000 }, async () => {
    const job: JobEntry = {
      kind: "local",
      name: "local-lazy-job",
      id: "local/local-lazy-job",
      file: new URL("./__fixtures__/local-lazy-job.ts", import.meta.url).pathname,
      label: "lazy",
      versions: "",
      isFusio: true,
      isFloor: false,
    };
    const rows = await measureSizes([job]);
    const before = rows[0]?.bundles.node;
    if (!isCell(before)) throw new Error("the fixture did not bundle");
    const atStart = before.gzip;
    expect(before.lazy.chunks).toBe(1);
    const { proofs } = await proveJobs([job]);
    expect(proofs[0]?.status).toBe("proven");
    expect(proofs[0]?.lazyLoaded?.chunks).toBe(1);
    // The proof strips its own banner: the chunk weighs what the measured one does.
    expect(proofs[0]?.lazyLoaded?.gzip).toBe(before.lazy.gzip);
    countLoadedLazyChunks(rows, proofs);
    expect(before.gzip).toBe(atStart + before.lazy.gzip);
    expect(before.lazy.loaded?.chunks).toBe(1);
  });
});
