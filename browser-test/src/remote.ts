// The remote test servers as the page sees them (provided by the project's global setups).
import { AzureBlobFs, type AzureBlobFsOptions } from "@fusio/azure";
import { CEPH_PACIFIC_COMPAT, S3Fs, type S3FsOptions } from "@fusio/s3";
import { inject } from "vitest";

/** Options of an S3Fs on the test bucket, as a user writes them (no `http`: fetch). */
export function s3Options(overrides: Partial<S3FsOptions> = {}): S3FsOptions {
  const config = inject("s3");
  return {
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Ceph RGW 16.x needs it for conditional writes and copies (see @fusio/s3's README).
    ...(config.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
    ...overrides,
  };
}

export function s3Fs(overrides: Partial<S3FsOptions> = {}): S3Fs {
  return new S3Fs(s3Options(overrides));
}

/** An AzureBlobFs on the test container with Shared Key, as a user writes it (no `http`: fetch). */
export function azureFs(overrides: Partial<AzureBlobFsOptions> = {}): AzureBlobFs {
  const target = inject("azurite");
  return new AzureBlobFs({
    account: target.account,
    endpoint: target.endpoint,
    container: target.container,
    credential: { accountKey: target.accountKey },
    ...overrides,
  });
}

/** A unique key prefix for one test. */
export function uniquePrefix(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
