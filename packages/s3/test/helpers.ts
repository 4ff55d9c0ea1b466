import { ListMultipartUploadsCommand, S3Client } from "@aws-sdk/client-s3";
import { CEPH_PACIFIC_COMPAT, S3Fs, type S3FsOptions } from "@fusio/s3";
import type { S3TestConfig } from "@fusio-internal/test-support/s3-test-config";
import { expect, inject } from "vitest";

export const config: S3TestConfig = inject("s3");

/** The options of a client of the test server; `overrides` win. */
export function testOptions(overrides: Partial<S3FsOptions> = {}): S3FsOptions {
  return {
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
    ...overrides,
  };
}

/** An S3Fs on the test server; `overrides` win. */
export function testFs(overrides: Partial<S3FsOptions> = {}): S3Fs {
  return new S3Fs(testOptions(overrides));
}

/** A unique key prefix for one test. */
export function uniquePrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The official SDK on the same server (cross-checks and inspection only). */
export function sdkClient(endpoint: string = config.endpoint): S3Client {
  return new S3Client({
    endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // RGW Pacific does not know the SDK's default CRC32 checksums.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Multipart uploads still open under `prefix` (must be none after any writer finished or failed). */
export async function openUploads(prefix: string): Promise<string[]> {
  const answer = await sdkClient().send(new ListMultipartUploadsCommand({ Bucket: config.bucket, Prefix: prefix }));
  return (answer.Uploads ?? []).map((upload) => upload.Key ?? "");
}

/**
 * Asserts byte equality cheaply (vitest's deep `toEqual` on megabytes takes minutes) and
 * reports the first difference.
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (actual.length !== expected.length) {
    expect(`length ${actual.length}`).toBe(`length ${expected.length}`);
    return;
  }
  if (Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(expected)) return;
  const at = actual.findIndex((value, i) => value !== expected[i]);
  expect(`byte ${at} = ${actual[at]}`).toBe(`byte ${at} = ${expected[at]}`);
}
