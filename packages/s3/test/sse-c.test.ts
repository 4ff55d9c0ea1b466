// Objects encrypted with a customer key (SSE-C). fusio sends no customer keys, so it can neither
// read nor splice such an object; S3 (and RGW) answer a HEAD without the key with a bare 400.
// Every operation that needs the object must say Unsupported and leave it as it was. The test
// server must accept SSE-C: the project's RGW does over plain HTTP (`rgw crypt require ssl = false`).
import { createHash, randomBytes } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import { afterAll, describe, expect, it } from "vitest";
import { config, expectBytes, openUploads, sdkClient, testFs, uniquePrefix } from "./helpers.ts";

const sdk = sdkClient();
const fs = testFs();
const base = uniquePrefix("sse-c");
const customerKey = randomBytes(32);
const sseC = {
  SSECustomerAlgorithm: "AES256",
  SSECustomerKey: customerKey.toString("base64"),
  SSECustomerKeyMD5: createHash("md5").update(customerKey).digest("base64"),
};

afterAll(() => sdk.destroy());

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return FusioError.is(error) ? `${error.kind} ${error.status}` : String(error);
  }
}

describe("an object encrypted with a customer key (SSE-C)", () => {
  const key = `${base}/secret.bin`;
  const data = bytes(70_000, 9);

  it("is Unsupported for stat, read, append and copy, and stays as it was", async () => {
    await sdk
      .send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: data, ...sseC }))
      .catch((error: unknown) => {
        throw new Error(`the test server refused an SSE-C PUT, so this can't be tested here: ${String(error)}`);
      });
    expect(await kindOf(fs.stat(key))).toBe("Unsupported 400");
    expect(await kindOf(fs.open(key))).toBe("Unsupported 400");
    expect(await kindOf(fs.open(key, { write: true }))).toBe("Unsupported 400");
    expect(await kindOf(fs.copy(key, `${base}/copy.bin`))).toBe("Unsupported 400");
    expect((await kindOf(fs.stat(`${base}/copy.bin`))).split(" ")[0]).toBe("NotFound");
    const answer = await sdk.send(new GetObjectCommand({ Bucket: config.bucket, Key: key, ...sseC }));
    expectBytes((await answer.Body?.transformToByteArray()) ?? new Uint8Array(), data);
    expect(await openUploads(base)).toEqual([]);
  });

  it("can be replaced by a new plain object (no HEAD needed)", async () => {
    const file = await fs.open(key, { create: true, truncate: true });
    await file.writeAll(bytes(10, 3));
    await file.close();
    expect((await fs.stat(key)).size).toBe(10);
    await fs.remove(key);
  });
});
