// Server-side copy against the test server: CopyObject (up to 5 GiB) through S3Fs.copy, and the
// multipart copy S3Fs.copy uses above 5 GiB. A > 5 GiB object does not fit the throwaway OSD
// in CI time, so the multipart path is run directly on objects of a few parts (UploadPartCopy
// takes ranges of any size from 5 MiB on every server, the last one smaller).
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { S3Client } from "../src/internal/client.ts";
import { copyObject, multipartCopy } from "../src/internal/copy.ts";
import { config, expectBytes, openUploads, sdkClient, testFs, testOptions, uniquePrefix } from "./helpers.ts";

const MiB = 1024 * 1024;
const context = { op: "copy", backend: "s3" };

/** A client with 5 MiB parts, `concurrency` at once. */
function client(concurrency: number): S3Client {
  return new S3Client(testOptions({ partSize: 5 * MiB, concurrency }));
}

/** The kind `stat` fails with at `path`, or "found". */
function statKind(path: string): Promise<string> {
  return testFs()
    .stat(path)
    .then(
      () => "found",
      (caught: FusioError) => caught.kind,
    );
}

async function put(key: string, body: Uint8Array): Promise<void> {
  await sdkClient().send(
    new PutObjectCommand({
      Bucket: config.bucket,
      Key: key,
      Body: body,
      ContentType: "application/x-test",
      CacheControl: "max-age=60",
      Metadata: { origin: "copy-test" },
    }),
  );
}

async function get(key: string): Promise<Uint8Array> {
  const answer = await sdkClient().send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
  return (await answer.Body?.transformToByteArray()) ?? new Uint8Array(0);
}

describe("server-side copy", () => {
  it("S3Fs.copy (CopyObject) copies bytes and metadata", async () => {
    const prefix = uniquePrefix("copy");
    const data = bytes(3 * MiB + 5, 3);
    await put(`${prefix}/src`, data);
    await testFs().copy(`${prefix}/src`, `${prefix}/dst`);
    expectBytes(await get(`${prefix}/dst`), data);
  });

  it("the multipart copy (above 5 GiB) copies every range, at most `concurrency` at once, and keeps the metadata", async () => {
    const prefix = uniquePrefix("mpcopy");
    const data = bytes(13 * MiB + 123, 4); // three parts: 5 + 5 + 3 MiB and a bit
    await put(`${prefix}/src`, data);
    const s3 = client(2);
    const head = await s3.head(`${prefix}/src`, context, undefined);
    if (head === undefined) throw new Error("the source is missing");
    let inFlight = 0;
    let most = 0;
    const send = s3.send.bind(s3);
    s3.send = (call, handle) => {
      const copying = call.headers?.["x-amz-copy-source"] !== undefined;
      if (copying) most = Math.max(most, ++inFlight);
      return send(call, handle).finally(() => {
        if (copying) inFlight--;
      });
    };
    await multipartCopy(s3, `${prefix}/src`, head, `${prefix}/dst`, context, undefined);
    expect(most).toBe(2);
    expectBytes(await get(`${prefix}/dst`), data);
    const copied = await sdkClient().send(new HeadObjectCommand({ Bucket: config.bucket, Key: `${prefix}/dst` }));
    expect(copied).toMatchObject({
      ContentType: "application/x-test",
      CacheControl: "max-age=60",
      Metadata: { origin: "copy-test" },
    });
    // Three parts: a multipart ETag ends in -3.
    expect(copied.ETag).toMatch(/-3"$/);
    expect(await openUploads(prefix)).toEqual([]);
  });

  it("a source that changed since its HEAD fails PreconditionFailed, leaving no object and no upload", async () => {
    const prefix = uniquePrefix("mpcopy-changed");
    await put(`${prefix}/src`, bytes(11 * MiB, 5));
    const s3 = client(2);
    const head = await s3.head(`${prefix}/src`, context, undefined);
    if (head === undefined) throw new Error("the source is missing");
    await put(`${prefix}/src`, bytes(11 * MiB, 6)); // a new version, another ETag
    const error = await multipartCopy(s3, `${prefix}/src`, head, `${prefix}/dst`, context, undefined).catch(
      (caught: unknown) => caught,
    );
    expect(FusioError.is(error, "PreconditionFailed")).toBe(true);
    expect(await openUploads(prefix)).toEqual([]);
    expect(await statKind(`${prefix}/dst`)).toBe("NotFound");
  });

  it("CopyObject of a source that changed since its HEAD fails PreconditionFailed", async () => {
    const prefix = uniquePrefix("copy-changed");
    await put(`${prefix}/src`, bytes(1000, 7));
    const s3 = client(2);
    const stale = await s3.head(`${prefix}/src`, context, undefined);
    await put(`${prefix}/src`, bytes(1000, 8));
    s3.head = async () => stale; // as if the source changed right after copy's HEAD
    const error = await copyObject(s3, `${prefix}/src`, `${prefix}/dst`, context, undefined).catch(
      (caught: unknown) => caught,
    );
    expect(FusioError.is(error, "PreconditionFailed")).toBe(true);
    expect(await statKind(`${prefix}/dst`)).toBe("NotFound");
  });

  it("an append spliced server-side onto an object that changed meanwhile fails PreconditionFailed and keeps the new object", async () => {
    const prefix = uniquePrefix("append-changed");
    const path = `${prefix}/obj`;
    await put(path, bytes(6 * MiB, 9)); // >= 5 MiB: spliced with UploadPartCopy
    const fs = testFs();
    const file = await fs.open(path, { write: true });
    const replaced = bytes(6 * MiB, 10); // the same size, other bytes: only the ETag tells
    await put(path, replaced);
    await file.writeAll(bytes(1000, 11));
    expect(await file.close().catch((caught: FusioError) => caught.kind)).toBe("PreconditionFailed");
    expectBytes(await get(path), replaced);
    expect(await openUploads(prefix)).toEqual([]);
  });
});
