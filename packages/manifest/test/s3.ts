import { CEPH_PACIFIC_COMPAT, S3Fs, type S3FsOptions } from "@fusio/s3";
import type { S3TestConfig } from "@fusio-internal/test-support/s3-test-config";
import { inject } from "vitest";

/** The shared test S3 server (`rgw-global-setup`). */
export function s3Config(): S3TestConfig {
  return inject("s3");
}

/** The options of an S3Fs on the test server; `overrides` win. */
export function s3Options(overrides: Partial<S3FsOptions> = {}): S3FsOptions {
  const config = s3Config();
  return {
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
    ...overrides,
  };
}

/** An S3Fs on the test server. */
export function s3Fs(overrides: Partial<S3FsOptions> = {}): S3Fs {
  return new S3Fs(s3Options(overrides));
}
