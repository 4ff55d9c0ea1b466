// Cross-check with the official AWS SDK on the same server: what fusio writes, the SDK reads back
// byte for byte with the same metadata, and the reverse.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bytes } from "@fusio/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { config, expectBytes, sdkClient, testFs, uniquePrefix } from "./helpers.ts";

const PART = 5 * 1024 * 1024;
const sdk = sdkClient();
const fs = testFs({ partSize: PART, concurrency: 3 });
const base = uniquePrefix("sdk");

afterAll(() => sdk.destroy());

async function sdkGet(key: string): Promise<Uint8Array> {
  const answer = await sdk.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
  return answer.Body?.transformToByteArray() ?? new Uint8Array();
}

async function fusioWrite(key: string, data: Uint8Array, options: { truncate: boolean }): Promise<void> {
  const file = await fs.open(key, { create: true, truncate: options.truncate });
  for (let offset = 0; offset < data.length; offset += 777_777) {
    await file.writeAll(data.subarray(offset, offset + 777_777));
  }
  await file.close();
}

const metadata = {
  ContentType: "application/x-fusio",
  CacheControl: "max-age=60",
  ContentDisposition: 'attachment; filename="x.bin"',
  Metadata: { owner: "fusio", "build-id": "42" },
};

async function sdkPutWithMetadata(key: string, data: Uint8Array): Promise<void> {
  await sdk.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: data, ...metadata }));
}

async function expectMetadataKept(key: string, size: number): Promise<void> {
  const head = await sdk.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
  expect(head.ContentLength).toBe(size);
  expect(head.ContentType).toBe(metadata.ContentType);
  expect(head.CacheControl).toBe(metadata.CacheControl);
  expect(head.ContentDisposition).toBe(metadata.ContentDisposition);
  expect(head.Metadata).toEqual(metadata.Metadata);
}

describe("fusio writes, the SDK reads", () => {
  it.each([
    ["a single PUT", 100_000],
    ["a multipart upload", 2 * PART + 4321],
    ["an empty object", 0],
  ])("%s reads back identical", async (name, size) => {
    const key = `${base}/${name.replace(/\W/g, "-")}.bin`;
    const data = bytes(size, size + 1);
    await fusioWrite(key, data, { truncate: true });
    expectBytes(await sdkGet(key), data);
  });

  it("an append to a small object keeps its bytes and metadata (download and re-upload)", async () => {
    const key = `${base}/append-small.bin`;
    const first = bytes(300_000, 1);
    const second = bytes(PART + 99, 2);
    await sdkPutWithMetadata(key, first);
    await fusioWrite(key, second, { truncate: false });
    const all = await sdkGet(key);
    expectBytes(all.subarray(0, first.length), first);
    expectBytes(all.subarray(first.length), second);
    await expectMetadataKept(key, first.length + second.length);
  });

  it("an append to a large object is spliced server-side and keeps its metadata", async () => {
    const key = `${base}/append-large.bin`;
    const first = bytes(PART + 12_345, 3);
    const second = bytes(1000, 4);
    await sdkPutWithMetadata(key, first);
    await fusioWrite(key, second, { truncate: false });
    const all = await sdkGet(key);
    expect(all.length).toBe(first.length + second.length);
    expectBytes(all.subarray(0, first.length), first);
    expectBytes(all.subarray(first.length), second);
    await expectMetadataKept(key, first.length + second.length);
  });

  it("putConditional's content type and metadata are what the SDK sees", async () => {
    const key = `${base}/cas.json`;
    const tag = await fs.putConditional(
      key,
      new TextEncoder().encode("{}"),
      { ifNotExists: true },
      {
        contentType: "application/json",
        metadata: { version: "1" },
      },
    );
    const head = await sdk.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
    expect(head.ETag).toBe(tag);
    expect(head.ContentType).toBe("application/json");
    expect(head.Metadata).toEqual({ version: "1" });
  });
});

describe("the SDK writes, fusio reads", () => {
  it("ranged reads, whole reads, stat and list", async () => {
    const key = `${base}/from-sdk/obj.bin`;
    const data = bytes(1_000_000, 9);
    await sdk.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: data }));
    const file = await fs.open(key);
    expect(await file.size()).toBe(data.length);
    const buf = new Uint8Array(4096);
    await file.readExactAt(buf, 500_000);
    expectBytes(buf, data.subarray(500_000, 504_096));
    expectBytes(await file.readToEndAt(999_000), data.subarray(999_000));
    expectBytes(await file.readToEndAt(0), data);
    await file.close();
    const head = await sdk.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
    expect((await fs.stat(key)).etag).toBe(head.ETag);
    const listed = [];
    for await (const entry of fs.list(`${base}/from-sdk`)) listed.push([entry.path.raw, entry.size]);
    expect(listed).toEqual([[key, data.length]]);
  });
});
