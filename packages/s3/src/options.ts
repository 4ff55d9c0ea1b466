import type { HttpClient } from "@fusio/core";
import type { RetryOptions } from "@fusio/http/retry";
import type { CredentialsProvider } from "./credentials.ts";
import type { S3Credentials, Signer } from "./signer.ts";

/**
 * Server behaviours that differ from AWS, switched on explicitly. The defaults are AWS-correct;
 * {@link CEPH_PACIFIC_COMPAT} holds what Ceph RGW 16.x (Pacific) needs.
 */
export interface S3Compat {
  /**
   * Send the ETag in `If-Match` of a conditional PUT without its quotes. RGW Pacific compares
   * the header verbatim against the unquoted ETag and answers 412 to the quoted form that AWS
   * expects (fixed upstream in 2025).
   */
  unquotedIfMatch?: boolean | undefined;
  /**
   * RGW Pacific's copy guards: it reads CopyObject's ETag guard as `x-amz-copy-if-match`, not the
   * standard `x-amz-copy-source-if-match`, and ignores any guard on UploadPartCopy. With this
   * set, CopyObject sends both names, and an upload made of copied parts (an append spliced
   * server-side, a copy above 5 GiB) checks with a HEAD before completing that the copied
   * object still has the ETag the copy started from.
   */
  copyIfMatchHeader?: boolean | undefined;
  /**
   * Give every non-final part of a multipart upload exactly `partSize` bytes, also the parts an
   * append copies server-side (UploadPartCopy): the old object is copied in whole parts and its
   * last partial part is downloaded and re-uploaded with the new bytes. Cloudflare R2 rejects
   * uploads whose non-final parts differ in size.
   */
  equalParts?: boolean | undefined;
  /** Header names (lower case) never sent, for servers that reject them. */
  omitHeaders?: readonly string[] | undefined;
}

/** What Ceph RGW Pacific (16.2) needs; the test suite runs with it. */
export const CEPH_PACIFIC_COMPAT: Readonly<S3Compat> = /* @__PURE__ */ Object.freeze({
  unquotedIfMatch: true,
  copyIfMatchHeader: true,
});

/** Options of `S3Fs`. */
export interface S3FsOptions {
  /** The bucket. */
  bucket: string;
  /** The SigV4 region. Default `us-east-1`. */
  region?: string | undefined;
  /**
   * The service URL, e.g. `http://127.0.0.1:7480` for a local server. Default AWS:
   * `https://s3.<region>.amazonaws.com`.
   */
  endpoint?: string | undefined;
  /**
   * Address the bucket in the path (`endpoint/bucket/key`) instead of the host
   * (`bucket.endpoint/key`). Default: true for a custom `endpoint` or a bucket name with dots,
   * false on AWS.
   */
  forcePathStyle?: boolean | undefined;
  /**
   * Static credentials or a provider (called again before they expire). On Node,
   * `defaultCredentials()` from `@fusio/s3/node-credentials` reads the standard AWS chain.
   * Required unless `anonymous`.
   */
  credentials?: S3Credentials | CredentialsProvider | undefined;
  /** Send requests unsigned (public buckets). */
  anonymous?: boolean | undefined;
  /** Hash and sign request bodies instead of `UNSIGNED-PAYLOAD`. Default false. */
  signPayload?: boolean | undefined;
  /** The SigV4 implementation. Default: native `node:crypto` on Node (export condition `node`), aws4fetch elsewhere. */
  signer?: Signer | undefined;
  /** How requests reach the network. Default: `defaultHttpClient()` of `@fusio/http` (undici on Node, fetch elsewhere). */
  http?: HttpClient | undefined;
  /** Multipart part size in bytes, at least 5 MiB. Default 8 MiB. */
  partSize?: number | undefined;
  /** Parts uploaded at once by one writer. Default 4. Memory per writer is about partSize x (concurrency + 1). */
  concurrency?: number | undefined;
  /** Retry policy for failed requests; `false` for none. */
  retry?: RetryOptions | false | undefined;
  /** Milliseconds the server may stay silent (headers or between body chunks) before `Timeout`. Default 30 000. */
  timeout?: number | undefined;
  /** Keys per ListObjectsV2 page (`max-keys`, 1-1000). Default: the server's (1000). */
  listPageSize?: number | undefined;
  /** Server quirks to work around; see {@link S3Compat}. */
  compat?: S3Compat | undefined;
  /**
   * Progress of writes: called with the bytes of the object stored so far (`loaded`) after
   * every part of a multipart upload, and once when a small object is stored with one PUT.
   * Bytes an append copies server-side are not counted; old bytes it re-uploads are.
   */
  onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
}

/** S3's smallest part (but the last). */
export const MIN_PART_SIZE: number = 5 * 1024 * 1024;
/** S3's largest part, and the largest CopyObject. */
export const MAX_COPY_PART: number = 5 * 1024 * 1024 * 1024;
/** S3's most parts in one multipart upload. */
export const MAX_PARTS = 10_000;
