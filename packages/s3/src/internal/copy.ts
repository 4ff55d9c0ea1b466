// Server-side copy (`S3Fs.copy`), loaded at its first use.
import { type AbortSignalLike, type ErrorContext, FusioError } from "@fusio/core";
import { MAX_COPY_PART, MAX_PARTS } from "../options.ts";
import type { S3Client } from "./client.ts";
import type { ObjectHead } from "./head.ts";
import { preserved } from "./headers.ts";
import { copyRanges, MultipartUpload } from "./multipart.ts";
import { successBodyText } from "./success.ts";

/**
 * [CopyObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html) up to
 * 5 GiB, a multipart copy above; guarded by the source's ETag so the copy is one version.
 */
export async function copyObject(
  client: S3Client,
  source: string,
  target: string,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  const head = await client.head(source, context, signal);
  if (head === undefined) throw new FusioError("NotFound", "no such object", context);
  if (head.size <= MAX_COPY_PART) {
    const headers: Record<string, string> = {
      "x-amz-copy-source": client.copySource(source),
      "x-amz-copy-source-if-match": head.etag,
    };
    // RGW Pacific reads CopyObject's guard under another name (see `S3Compat.copyIfMatchHeader`).
    if (client.compat.copyIfMatchHeader) headers["x-amz-copy-if-match"] = head.etag;
    await client.send({ method: "PUT", key: target, headers, idempotent: true, context, signal }, async (response) => {
      await successBodyText(response, "CopyObjectResult", context);
    });
    return;
  }
  await multipartCopy(client, source, head, target, context, signal);
}

/**
 * Copies `source` (as `head` describes it) to `target` as a multipart upload of UploadPartCopy
 * ranges, each guarded by the source's ETag: the client's part size (larger when the object
 * would need more than S3's 10,000 parts), at most `client.concurrency` at once. On failure no
 * further part starts, and the upload is aborted once those in flight settle, so none is left.
 * (CopyObject above 5 GiB; the test suite runs it on small objects, as RGW takes it at any size.)
 */
export async function multipartCopy(
  client: S3Client,
  source: string,
  head: ObjectHead,
  target: string,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  const partSize = Math.max(client.partSize, Math.ceil(head.size / MAX_PARTS));
  const upload = await MultipartUpload.create(client, target, preserved(head), context, signal);
  try {
    const etags = await copyRanges(upload, source, head.etag, head.size, partSize, client.concurrency, context, signal);
    await upload.complete(etags, context, signal, { key: source, etag: head.etag });
  } catch (error) {
    await upload.abort(context).catch(() => undefined);
    throw error;
  }
}
