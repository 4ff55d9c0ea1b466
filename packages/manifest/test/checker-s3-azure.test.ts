// The serializability checker (bank.ts) on the object stores: S3 (the shared Ceph RGW) and
// Azure Blob (Azurite); the R2 binding's is checker-r2.test.ts. Each run uses its own prefix;
// every transaction count is printed for the report.
import { AzureBlobFs, DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY } from "@fusio/azure";
import type { CasFs } from "@fusio/core";
import { type Azurite, startAzurite } from "@fusio-internal/test-support/azurite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBank, uniquePrefix } from "./bank.ts";
import { s3Fs } from "./s3.ts";

const WRITERS = 6;
const PER_WRITER = 6;
async function check(backend: string, fs: CasFs, writers = WRITERS, perWriter = PER_WRITER): Promise<void> {
  const result = await runBank(fs, { prefix: uniquePrefix("checker"), writers, perWriter });
  console.info(
    `checker on ${backend}: ${result.committed} committed, ${result.conflicts} lost races retried (${writers} writers x ${perWriter})`,
  );
  expect(result.committed).toBe(writers * perWriter);
  expect(result.unknown).toBe(0);
}

describe("serializability checker on S3 (Ceph RGW)", () => {
  it(`${WRITERS} concurrent writers with a compactor running`, { timeout: 120_000 }, async () => {
    await check("S3", s3Fs());
  });
});

describe("serializability checker on Azure Blob (Azurite)", () => {
  let azurite: Azurite | undefined;
  let fs: AzureBlobFs;

  beforeAll(async () => {
    azurite = await startAzurite({ silent: true });
    const { BlobServiceClient, StorageSharedKeyCredential } = await import("@azure/storage-blob");
    const credential = new StorageSharedKeyCredential(DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY);
    await new BlobServiceClient(azurite.endpoint, credential).getContainerClient("manifest").createIfNotExists();
    fs = new AzureBlobFs({
      account: DEVELOPMENT_ACCOUNT,
      endpoint: azurite.endpoint,
      container: "manifest",
      credential: { accountKey: DEVELOPMENT_KEY },
    });
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  it(`${WRITERS} concurrent writers with a compactor running`, { timeout: 120_000 }, async () => {
    await check("Azure", fs);
  });
});
