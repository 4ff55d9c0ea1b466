import type { AbortSignalLike, ErrorContext, HttpResponse } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { collectBody, collectExactly } from "@fusio/http";
import { excerpt, invalidAnswer, missingHeader, parseLength } from "@fusio/http/answer";
import { discardBody, readBodyInto } from "@fusio/http/body";
import type { S3Client } from "./client.ts";

/** A 206's `Content-Range: bytes start-end/total`, checked (`total` undefined for `*`). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total: number | undefined;
}

const eof = (context: ErrorContext, message: string): FusioError => new FusioError("UnexpectedEof", message, context);

const remote = (context: ErrorContext, message: string): FusioError =>
  invalidAnswer(`the server answered with ${message}`, context);

const truncated = (context: ErrorContext, got: number, wanted: number): FusioError =>
  new FusioError("Io", `the body ended after ${got} of ${wanted} bytes`, { ...context, retryable: true });

/**
 * The `Content-Range` of a 206: it must be there (a browser hides it unless the CORS rule exposes
 * it) and hold lengths with `start <= end < total`, else `Remote`.
 */
export function parseContentRange(value: string | null, context: ErrorContext): ContentRange {
  if (value === null) throw missingHeader("Content-Range", "the ranged GET's 206 answer", context);
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim());
  if (match === null) throw remote(context, `Content-Range ${JSON.stringify(excerpt(value, 64))}`);
  const start = parseLength(match[1], "a Content-Range start", context);
  const end = parseLength(match[2], "a Content-Range end", context);
  const total = match[3] === "*" ? undefined : parseLength(match[3], "a Content-Range total", context);
  if (end < start || (total !== undefined && end >= total)) {
    throw remote(context, `an inconsistent Content-Range ${JSON.stringify(excerpt(value, 64))}`);
  }
  return { start, end, total };
}

/** The size a 416 names (`Content-Range: bytes * /size`, as AWS sends it), else undefined. */
export function unsatisfiedRangeTotal(value: string | null, context: ErrorContext): number | undefined {
  const total = /^bytes\s+\*\/(\d+)$/.exec(value?.trim() ?? "")?.[1];
  return total === undefined ? undefined : parseLength(total, "a Content-Range total", context);
}

/** The `Content-Length` of a response when it has one (checked), else undefined. */
function contentLength(response: HttpResponse, context: ErrorContext): number | undefined {
  const value = response.headers.get("content-length");
  return value === null ? undefined : parseLength(value, "Content-Length", context);
}

/** A 206 whose `Content-Length` (when sent) is not the length of its range is refused. */
function checkRangeLength(response: HttpResponse, range: ContentRange, context: ErrorContext): number {
  const length = range.end - range.start + 1;
  const declared = contentLength(response, context);
  if (declared !== undefined && declared !== length) {
    throw remote(context, `Content-Length ${declared} for a range of ${length} bytes`);
  }
  return length;
}

/**
 * Ranged [GetObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)
 * straight into `target`. A 206 must carry the exact `Content-Range` asked for; a 200 (the
 * server ignored Range) is windowed so the caller never gets the wrong bytes; 416 and ranges
 * that end early at the object's end mean the object is shorter: `UnexpectedEof`. (When it
 * throws, `S3Client.send` releases the body.)
 */
export function readRangeInto(
  client: S3Client,
  key: string,
  target: Uint8Array,
  pos: number,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  const end = pos + target.length - 1;
  return client.send(
    { method: "GET", key, headers: { range: `bytes=${pos}-${end}` }, idempotent: true, context, signal },
    async (response) => {
      let got = 0;
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"), context);
        if (range.start !== pos) throw remote(context, "another range than asked");
        if (range.end > end) throw remote(context, "a longer range than asked");
        if (range.end < end) {
          // Only the object's end may cut a range short.
          if (range.total !== undefined && range.total !== range.end + 1) throw remote(context, "a shorter range");
          throw eof(context, `the object ends at ${range.end + 1}, the read needs ${end + 1}`);
        }
        checkRangeLength(response, range, context);
        got = await readBodyInto(response.body, target, context);
      } else if (response.status === 200) {
        contentLength(response, context);
        // Bytes [pos, end] of the whole object.
        let offset = 0;
        for await (const chunk of response.body) {
          const from = Math.max(0, pos - offset);
          const to = Math.min(chunk.length, end + 1 - offset);
          if (to > from) {
            target.set(chunk.subarray(from, to), got);
            got += to - from;
          }
          offset += chunk.length;
          if (got === target.length) return;
        }
        throw eof(context, `the object has ${offset} bytes, the read needs ${end + 1}`);
      } else {
        throw remote(context, `status ${response.status} to a ranged GET`);
      }
      if (got !== target.length) throw truncated(context, got, target.length);
    },
  );
}

/**
 * Bytes `[pos, size)` of `key` (a GetObject from `pos`); `pos == size` is empty, `pos > size`
 * is `UnexpectedEof`. A 206 must cover `[pos, size)` exactly (checked `Content-Range` and
 * `Content-Length`); a 200 (the server ignored Range) is cut at `pos`. The length is checked
 * before the array for it is allocated.
 */
export function readToEnd(
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
        const named = unsatisfiedRangeTotal(response.headers.get("content-range"), context);
        const total = named ?? (await client.head(key, context, signal))?.size;
        if (total === pos) return new Uint8Array(0);
        throw eof(context, `position ${pos} is past the end${total === undefined ? "" : ` (${total})`}`);
      }
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"), context);
        if (range.start !== pos) throw remote(context, "another range than asked");
        if (range.total !== undefined && range.end + 1 !== range.total) {
          throw remote(context, "a range that stops before the end of the object");
        }
        return collectExactly(response.body, checkRangeLength(response, range, context), context);
      }
      const length = contentLength(response, context);
      const data =
        length === undefined ? await collectBody(response.body) : await collectExactly(response.body, length, context);
      if (pos > data.length) throw eof(context, `position ${pos} is past the end (${data.length})`);
      return pos > 0 ? data.slice(pos) : data;
    },
  );
}
