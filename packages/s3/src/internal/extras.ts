// S3Fs operations the common read / write / list path does not need, loaded at first use:
// server-side copy, the CAS pair, and reads to the end of an object.
import type { AbortSignalLike, CasCondition, ErrorContext, PutConditionalOptions } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { collectBody } from "@fusio/http";
import { bodyText, discardBody } from "@fusio/http/body";
import { MAX_PARTS } from "../options.ts";
import type { S3Client } from "./client.ts";
import { errorIn200 } from "./errors.ts";
import type { ObjectHead } from "./head.ts";
import { copyRanges, ifMatchValue, MAX_COPY_PART, MultipartUpload, preserved } from "./multipart.ts";
import { contentRange, eof, rangeEnd, truncated } from "./read.ts";

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
      const failure = errorIn200(await bodyText(response.body), context);
      if (failure) throw failure;
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

/** GET of the whole object with its ETag; undefined when missing. */
export function loadWithTag(
  client: S3Client,
  key: string,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  return client.send({ method: "GET", key, idempotent: true, context, signal, accept: [404] }, async (response) => {
    if (response.status === 404) {
      await discardBody(response.body);
      return undefined;
    }
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    const data = await collectBody(response.body, Number.isNaN(length) ? undefined : length);
    if (!Number.isNaN(length) && data.length !== length) {
      throw new FusioError("Io", "the body ended early", { ...context, retryable: true });
    }
    return { data, tag: response.headers.get("etag") ?? "" };
  });
}

/** PUT with `If-None-Match: *` or `If-Match: <tag>`; resolves to the new ETag. */
export async function putConditional(
  client: S3Client,
  key: string,
  data: Uint8Array,
  when: CasCondition,
  options: PutConditionalOptions,
  context: ErrorContext,
): Promise<string> {
  const headers: Record<string, string> =
    "ifNotExists" in when ? { "if-none-match": "*" } : { "if-match": ifMatchValue(client, when.ifMatch) };
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    headers[`x-amz-meta-${name.toLowerCase()}`] = value;
  }
  const tag = await client.put(key, data, { headers, context, signal: options.signal });
  if (tag !== "") return tag;
  // Some servers omit the ETag of a conditional PUT: read it back.
  return (await client.head(key, context, options.signal))?.etag ?? "";
}

/** Bytes `[pos, size)` of `key`; `pos == size` is empty, `pos > size` is `UnexpectedEof`. */
export function readFrom(
  client: S3Client,
  key: string,
  pos: number,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<Uint8Array> {
  const headers: Record<string, string> = pos > 0 ? { range: `bytes=${pos}-` } : {};
  return client.send(
    { method: "GET", key, headers, idempotent: true, context, signal, accept: [416] },
    async (response) => {
      if (response.status === 416) {
        await discardBody(response.body);
        // AWS names the size in `Content-Range: bytes */size`; RGW does not, so ask with a HEAD.
        const star = contentRange(response)?.[3];
        const total = star && star !== "*" ? Number(star) : (await client.head(key, context, signal))?.size;
        if (total === pos) return new Uint8Array(0);
        throw eof(context, `position ${pos} is past the end${total === undefined ? "" : ` (${total})`}`);
      }
      // A 200 to a ranged request: the server ignored Range and sent everything.
      const skip = response.status === 206 ? 0 : pos;
      const length =
        response.status === 206
          ? rangeEnd(response, pos, context) - pos + 1
          : Number(response.headers.get("content-length") ?? Number.NaN);
      const data = await collectBody(response.body, Number.isNaN(length) ? undefined : length);
      if (!Number.isNaN(length) && data.length !== length) throw truncated(context, data.length, length);
      if (skip > data.length) throw eof(context, `position ${pos} is past the end (${data.length})`);
      return skip ? data.slice(skip) : data;
    },
  );
}

// Not used here: re-exported so that a code-splitting bundler puts everything S3Fs loads at start
// into the one chunk it shares between the entry and this lazily loaded module. Otherwise that
// code is split across several chunks loading at start, each compressed on its own (esbuild,
// S3 size job: see the commit that added this).
export { S3Fs } from "../s3-fs.ts";
