// What fusio writes, the official SDK reads back identically (bytes, content type, metadata), and
// what the SDK writes, fusio reads, lists and appends to.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureBlobFs } from "@fusio/azure";
import { bytes } from "@fusio/conformance";
import { Path } from "@fusio/core";
import { afterAll, describe, expect, it } from "vitest";
import { azureFs, target } from "./helpers.ts";

const azure = target();
const base = Path.parse(`sdk-check-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
const at = (name: string): Path => base.join(name);
const blockSize = 64 * 1024;

function container() {
  const credential = new StorageSharedKeyCredential(azure.account, azure.accountKey ?? "");
  return new BlobServiceClient(azure.endpoint, credential).getContainerClient(azure.container);
}

async function sdkRead(name: string): Promise<Buffer> {
  return container().getBlobClient(name).downloadToBuffer();
}

async function fusioRead(fs: AzureBlobFs, path: Path): Promise<Buffer> {
  const file = await fs.open(path);
  try {
    return Buffer.from(await file.readToEndAt(0));
  } finally {
    await file.close();
  }
}

afterAll(async () => {
  const fs = azureFs();
  for await (const entry of fs.list(base, { recursive: true })) await fs.remove(entry.path);
});

describe.runIf(azure.accountKey !== undefined)("cross-check with @azure/storage-blob", () => {
  it("small, block-staged and appended blobs written by fusio read back identically through the SDK", async () => {
    const fs = azureFs({ blockSize, concurrency: 3 });
    const small = bytes(1000, 1);
    await fs.putConditional(
      at("small.bin"),
      small,
      { ifNotExists: true },
      { contentType: "image/png", metadata: { source: "fusio" } },
    );
    const staged = bytes(5 * blockSize + 99, 2);
    const writer = await fs.open(at("dir/staged é+.bin"), { create: true, truncate: true });
    for (let offset = 0; offset < staged.length; offset += 10_007)
      await writer.writeAll(staged.subarray(offset, offset + 10_007));
    await writer.close();
    const appender = await fs.open(at("small.bin"), { write: true });
    const tail = bytes(2 * blockSize + 1, 3);
    await appender.writeAll(tail);
    await appender.close();

    expect((await sdkRead(at("dir/staged é+.bin").raw)).equals(Buffer.from(staged))).toBe(true);
    expect((await sdkRead(at("small.bin").raw)).equals(Buffer.concat([small, tail]))).toBe(true);
    const properties = await container().getBlobClient(at("small.bin").raw).getProperties();
    expect([properties.contentType, properties.metadata, properties.contentLength]).toEqual([
      "image/png",
      { source: "fusio" },
      small.length + tail.length,
    ]);
    const names: string[] = [];
    for await (const blob of container().listBlobsFlat({ prefix: `${base.raw}/` })) names.push(blob.name);
    expect(names).toEqual([at("dir/staged é+.bin").raw, at("small.bin").raw]);
  });

  it("blobs written by the SDK (single shot and SDK-staged blocks) read, list and append correctly through fusio", async () => {
    const fs = azureFs({ blockSize, concurrency: 2 });
    const single = bytes(4321, 4);
    const staged = bytes(9 * blockSize + 7, 5);
    await container()
      .getBlockBlobClient(at("sdk/single.bin").raw)
      .uploadData(single, {
        blobHTTPHeaders: { blobContentType: "text/csv", blobCacheControl: "no-cache" },
        metadata: { writer: "sdk" },
      });
    await container()
      .getBlockBlobClient(at("sdk/staged.bin").raw)
      .uploadData(staged, {
        blockSize: 2 * blockSize,
        maxSingleShotSize: blockSize,
        concurrency: 2,
      });
    expect((await fusioRead(fs, at("sdk/single.bin"))).equals(Buffer.from(single))).toBe(true);
    expect((await fusioRead(fs, at("sdk/staged.bin"))).equals(Buffer.from(staged))).toBe(true);
    const file = await fs.open(at("sdk/staged.bin"));
    const middle = await file.readExactAt(new Uint8Array(5000), 3 * blockSize - 100);
    expect(Buffer.from(middle).equals(Buffer.from(staged.subarray(3 * blockSize - 100, 3 * blockSize + 4900)))).toBe(
      true,
    );
    expect(await file.size()).toBe(staged.length);
    await file.close();
    const meta = await fs.stat(at("sdk/single.bin"));
    const properties = await container().getBlobClient(at("sdk/single.bin").raw).getProperties();
    expect([meta.size, meta.etag]).toEqual([single.length, properties.etag]);
    const listed: string[] = [];
    for await (const entry of fs.list(at("sdk"))) listed.push(`${entry.path.raw}:${entry.size}`);
    expect(listed).toEqual([
      `${at("sdk/single.bin").raw}:${single.length}`,
      `${at("sdk/staged.bin").raw}:${staged.length}`,
    ]);

    // Appending to SDK-written blobs (foreign block ids) keeps their bytes and properties.
    for (const name of ["sdk/single.bin", "sdk/staged.bin"]) {
      const appender = await fs.open(at(name), { write: true });
      await appender.writeAll(Buffer.from("+fusio"));
      await appender.close();
    }
    expect((await sdkRead(at("sdk/single.bin").raw)).equals(Buffer.concat([single, Buffer.from("+fusio")]))).toBe(true);
    expect((await sdkRead(at("sdk/staged.bin").raw)).equals(Buffer.concat([staged, Buffer.from("+fusio")]))).toBe(true);
    const after = await container().getBlobClient(at("sdk/single.bin").raw).getProperties();
    expect([after.contentType, after.cacheControl, after.metadata]).toEqual([
      "text/csv",
      "no-cache",
      { writer: "sdk" },
    ]);
  });

  it("fusio's CAS tags are the SDK's ETags, and SDK conditional writes honour them", async () => {
    const fs = azureFs();
    const tag = await fs.putConditional(at("cas.json"), Buffer.from("{}"), { ifNotExists: true });
    const blob = container().getBlockBlobClient(at("cas.json").raw);
    expect((await blob.getProperties()).etag).toBe(tag);
    await blob.upload('{"v":2}', 7, { conditions: { ifMatch: tag } });
    await expect(fs.putConditional(at("cas.json"), Buffer.from("{}"), { ifMatch: tag })).rejects.toMatchObject({
      kind: "PreconditionFailed",
    });
    const loaded = await fs.loadWithTag(at("cas.json"));
    expect([Buffer.from(loaded?.data ?? []).toString(), loaded?.tag]).toEqual([
      '{"v":2}',
      (await blob.getProperties()).etag,
    ]);
  });
});
