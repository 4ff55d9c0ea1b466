import type { S3Client } from "./client.ts";
import type { ObjectHead } from "./head.ts";

/** The `If-Match` value for `etag`: quoted as AWS wants, or bare for RGW Pacific (see `S3Compat`). */
export function ifMatchValue(client: S3Client, etag: string): string {
  if (!client.compat.unquotedIfMatch) return etag;
  return etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
}

const PRESERVED = new Set([
  "content-type",
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
  "x-amz-storage-class",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-server-side-encryption-context",
  "x-amz-server-side-encryption-bucket-key-enabled",
  "x-amz-website-redirect-location",
]);

/**
 * Headers a rewrite (append, multipart copy) must carry over to keep the object as it was:
 * type, cache headers, `x-amz-meta-*`, SSE-S3/KMS and storage class.
 */
export function preserved(head: ObjectHead): Record<string, string> {
  const out: Record<string, string> = {};
  head.headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-amz-meta-") || (value !== "" && PRESERVED.has(lower))) out[lower] = value;
  });
  return out;
}
