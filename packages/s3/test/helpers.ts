import { CEPH_PACIFIC_COMPAT, S3Fs, type S3FsOptions } from "@fusio/s3";
import { inject } from "vitest";
import type { S3TestConfig } from "./setup/s3-config.ts";

export const config: S3TestConfig = inject("s3");

/** An S3Fs on the test server; `overrides` win. */
export function testFs(overrides: Partial<S3FsOptions> = {}): S3Fs {
  return new S3Fs({
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
    ...overrides,
  });
}

/** A unique key prefix for one test. */
export function uniquePrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
