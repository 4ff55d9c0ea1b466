import { type AbortSignalLike, type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import { discardBody } from "@fusio/http";
import type { S3Client } from "./client.ts";

/** What a HEAD tells about an object. */
export interface ObjectHead {
  readonly size: number;
  /** The ETag as sent (with quotes). */
  readonly etag: string;
  readonly lastModified: Date | undefined;
  /** Headers a rewrite (append, multipart copy) must carry over to keep the object as it was. */
  readonly preserved: Readonly<Record<string, string>>;
}

const PRESERVED = [
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
];

/** The `x-amz-meta-*` headers of a response. */
function userMetadata(headers: HttpResponse["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-amz-meta-")) out[lower] = value;
  });
  return out;
}

/**
 * HEAD of `key`, or undefined when it does not exist.
 * [HeadObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html)
 *
 * A HEAD without the customer key of an object encrypted with one (SSE-C) is answered 400 with
 * no body (AWS and RGW alike). fusio sends no customer keys, so it can neither read nor splice
 * such an object: `Unsupported`.
 */
export async function headObject(
  client: S3Client,
  key: string,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<ObjectHead | undefined> {
  return client.send(
    { method: "HEAD", key, idempotent: true, context, signal, accept: [400, 404] },
    async (response) => {
      await discardBody(response.body);
      if (response.status === 404) return undefined;
      if (response.status === 400) {
        throw new FusioError(
          "Unsupported",
          "HEAD answered 400, as S3 does for an object encrypted with a customer key (SSE-C), which fusio can't use",
          { ...context, status: 400 },
        );
      }
      const headers = response.headers;
      const preserved: Record<string, string> = userMetadata(headers);
      for (const name of PRESERVED) {
        const value = headers.get(name);
        if (value !== null && value !== "") preserved[name] = value;
      }
      const lastModified = headers.get("last-modified");
      return {
        size: Number(headers.get("content-length") ?? 0),
        etag: headers.get("etag") ?? "",
        lastModified: lastModified ? new Date(lastModified) : undefined,
        preserved,
      };
    },
  );
}
