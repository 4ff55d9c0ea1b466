// Every peer's local and Azure job really does the job (S3 jobs are proven by `pnpm bench`,
// which starts Ceph RGW): each runs once from its bundle against a temp dir / real Azurite.
import { describe, expect, it } from "vitest";
import { discoverJobs } from "../src/size/catalog.ts";
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
  });
});
