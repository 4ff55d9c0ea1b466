// S3Fs operations the common read / write / list path does not need, loaded at first use:
// server-side copy, the CAS pair, and reads to the end of an object.
import type { AbortSignalLike, CasCondition, ErrorContext, PutConditionalOptions } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { bodyText, collectBody, discardBody } from "@fusio/http";
import type { S3Client } from "./client.ts";
import { errorIn200 } from "./errors.ts";
import { headObject } from "./head.ts";
import { ifMatchValue, MAX_COPY_PART, MultipartUpload, preserved } from "./multipart.ts";
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
    const headers = { "x-amz-copy-source": client.copySource(source), "x-amz-copy-source-if-match": head.etag };
    await client.send({ method: "PUT", key: target, headers, idempotent: true, context, signal }, async (response) => {
      const failure = errorIn200(await bodyText(response.body), context);
      if (failure) throw failure;
    });
    return;
  }
  const upload = await MultipartUpload.create(client, target, preserved(head), context, signal);
  try {
    const copies: Promise<string>[] = [];
    for (let start = 0; start < head.size; start += MAX_COPY_PART) {
      const range = [start, Math.min(head.size, start + MAX_COPY_PART) - 1] as const;
      copies.push(upload.uploadPartCopy(copies.length + 1, source, range, head.etag, context, signal));
    }
    await upload.complete(await Promise.all(copies), context, signal);
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
        const total = star && star !== "*" ? Number(star) : (await headObject(client, key, context, signal))?.size;
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
