import { type AbortSignalLike, type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import { missingHeader, parseLength } from "@fusio/http/answer";
import { discardBody } from "@fusio/http/body";
import type { S3Client } from "./client.ts";

/** What a HEAD tells about an object. */
export interface ObjectHead {
  readonly size: number;
  /** The ETag as sent (with quotes). */
  readonly etag: string;
  readonly lastModified: Date | undefined;
  /** The response headers (a rewrite reads what it must carry over from them, see `preserved`). */
  readonly headers: HttpResponse["headers"];
}

/**
 * HEAD of `key`, or undefined when it does not exist.
 * [HeadObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html)
 *
 * A HEAD without the customer key of an object encrypted with one (SSE-C) is answered 400 with
 * no body (AWS and RGW alike). fusio sends no customer keys, so it can neither read nor splice
 * such an object: `Unsupported`.
 */
export function headObject(
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
      return parseHead(response.headers, context);
    },
  );
}

/**
 * What a HEAD's headers say. The size is the `Content-Length`, which must be there (a HEAD
 * without it says nothing about the size, which is not 0) and be a length; an unreadable
 * `Last-Modified` is left out.
 */
export function parseHead(headers: HttpResponse["headers"], context: ErrorContext): ObjectHead {
  const length = headers.get("content-length");
  if (length === null) throw missingHeader("Content-Length", "the HEAD answer", context);
  const modified = headers.get("last-modified");
  const lastModified = modified ? new Date(modified) : undefined;
  return {
    size: parseLength(length, "Content-Length", context),
    etag: headers.get("etag") ?? "",
    lastModified: lastModified && !Number.isNaN(lastModified.getTime()) ? lastModified : undefined,
    headers,
  };
}
