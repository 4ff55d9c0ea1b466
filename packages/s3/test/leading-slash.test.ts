// A key that starts with `/` on the real server (Ceph RGW): `Path.parse` would strip the slash
// and name another object, so S3Fs.list must skip it. No listed entry may read another
// object's bytes.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { config, expectBytes, sdkClient, testFs, uniquePrefix } from "./helpers.ts";

const prefix = uniquePrefix("slash");
const sdk = sdkClient();
const keys = { aliased: `/${prefix}/x`, plain: `${prefix}/x`, trailing: `${prefix}/y/` } as const;
const contents = { aliased: "the object with the leading slash", plain: "the plain object", trailing: "trailing" };

beforeAll(async () => {
  for (const name of ["aliased", "plain", "trailing"] as const) {
    await sdk.send(new PutObjectCommand({ Bucket: config.bucket, Key: keys[name], Body: contents[name] }));
  }
});

afterAll(async () => {
  for (const key of Object.values(keys)) await sdk.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
});

async function sdkBytes(key: string): Promise<Uint8Array> {
  const answer = await sdk.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
  return (await answer.Body?.transformToByteArray()) ?? new Uint8Array(0);
}

it("the server keeps the leading slash (the case is real)", async () => {
  const answer = await sdk.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: `/${prefix}` }));
  expect((answer.Contents ?? []).map((object) => object.Key)).toEqual([keys.aliased]);
});

it("no listed entry reads another object's bytes", async () => {
  const fs = testFs();
  const mine: string[] = [];
  for await (const entry of fs.list("", { recursive: true })) {
    if (!entry.path.raw.includes(prefix)) continue;
    mine.push(entry.path.raw);
    const file = await fs.open(entry.path);
    expectBytes(await file.readToEndAt(0), await sdkBytes(entry.path.raw));
    await file.close();
  }
  expect(mine).toEqual([keys.plain]);
  // `prefix/y/` (with bytes) is no file, only the directory `prefix/y`.
  const nonRecursive: Array<[string, boolean]> = [];
  for await (const entry of fs.list(prefix)) nonRecursive.push([entry.path.raw, entry.isDirectory === true]);
  expect(nonRecursive).toEqual([
    [keys.plain, false],
    [`${prefix}/y`, true],
  ]);
});
