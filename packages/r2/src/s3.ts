// `@fusio/r2/s3`: R2 over its S3 API, as a preset of @fusio/s3. A separate entry, so that code
// using only the Workers binding never loads S3 code.
import { FusioError } from "@fusio/core";
import { S3Fs, type S3FsOptions } from "@fusio/s3";

/** Where an R2 bucket's data must stay; each jurisdiction has its own S3 endpoint. */
export type R2Jurisdiction = "eu" | "fedramp";

/** Options of {@link r2Fs}. */
export interface R2FsOptions
  extends Pick<S3FsOptions, "http" | "signer" | "partSize" | "concurrency" | "retry" | "timeout" | "onProgress"> {
  /** The Cloudflare account id (the first label of the endpoint host). */
  accountId: string;
  /** The bucket. */
  bucket: string;
  /** An R2 API token's access key id. */
  accessKeyId: string;
  /** An R2 API token's secret access key. */
  secretAccessKey: string;
  /** A bucket created in a jurisdiction is only reachable through that jurisdiction's endpoint. */
  jurisdiction?: R2Jurisdiction | undefined;
  /** Another endpoint URL (a proxy, or a local S3 server standing in for R2 in tests). */
  endpoint?: string | undefined;
}

/**
 * Request headers R2 rejects (its S3 compatibility table marks them unsupported): AWS
 * server-side encryption other than SSE-C, website redirects, ACLs, tagging, object lock,
 * requester-pays and bucket-owner checks. An append that carries over an object's headers
 * drops these.
 */
export const R2_UNSUPPORTED_HEADERS: readonly string[] = Object.freeze([
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-server-side-encryption-context",
  "x-amz-server-side-encryption-bucket-key-enabled",
  "x-amz-website-redirect-location",
  "x-amz-acl",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write-acp",
  "x-amz-tagging",
  "x-amz-object-lock-mode",
  "x-amz-object-lock-retain-until-date",
  "x-amz-object-lock-legal-hold",
  "x-amz-request-payer",
  "x-amz-expected-bucket-owner",
]);

/** The S3 endpoint of an account, in a jurisdiction or not. */
export function r2Endpoint(accountId: string, jurisdiction?: R2Jurisdiction): string {
  const context = { op: "r2Fs", backend: "s3" };
  if (typeof accountId !== "string" || !/^[A-Za-z0-9-]+$/.test(accountId)) {
    throw new FusioError("InvalidArgument", "`accountId` must be a Cloudflare account id", context);
  }
  if (jurisdiction !== undefined && jurisdiction !== "eu" && jurisdiction !== "fedramp") {
    throw new FusioError("InvalidArgument", '`jurisdiction` must be "eu" or "fedramp"', context);
  }
  return `https://${accountId}${jurisdiction ? `.${jurisdiction}` : ""}.r2.cloudflarestorage.com`;
}

/**
 * The `S3Fs` options {@link r2Fs} uses: the account's endpoint (per jurisdiction), region
 * `auto`, path-style addressing, equal-size parts and the header filter. For setups that need
 * to adjust them (e.g. tests against another S3 server standing in for R2).
 */
export function r2S3Options(options: R2FsOptions): S3FsOptions {
  const { accountId, bucket, accessKeyId, secretAccessKey, jurisdiction, endpoint, ...rest } = options;
  const url = r2Endpoint(accountId, jurisdiction);
  return {
    ...rest,
    bucket,
    region: "auto",
    endpoint: endpoint ?? url,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    compat: { equalParts: true, omitHeaders: R2_UNSUPPORTED_HEADERS },
  };
}

/**
 * An `S3Fs` configured for Cloudflare R2: the account's endpoint (per jurisdiction), region
 * `auto`, path-style addressing, every non-final multipart part of the same size (R2 rejects
 * unequal parts, also when an append copies the old object in server-side), and no headers R2
 * rejects.
 *
 * ```ts
 * import { r2Fs } from "@fusio/r2/s3";
 * const fs = r2Fs({ accountId, bucket: "data", accessKeyId, secretAccessKey });
 * ```
 */
export function r2Fs(options: R2FsOptions): S3Fs {
  return new S3Fs(r2S3Options(options));
}
