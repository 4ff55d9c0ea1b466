import type { AbortSignalLike, ErrorContext, HttpResponse } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { collectBody } from "@fusio/http";
import { discardBody, readBodyInto } from "@fusio/http/body";
import type { S3Client } from "./client.ts";

/** `Content-Range: bytes start-end/total` (total may be a star), or the star form of a 416. */
const CONTENT_RANGE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/;

const contentRange = (response: HttpResponse): RegExpExecArray | null =>
  CONTENT_RANGE.exec(response.headers.get("content-range")?.trim() ?? "");

const eof = (context: ErrorContext, message: string): FusioError => new FusioError("UnexpectedEof", message, context);

const remote = (context: ErrorContext, message: string): FusioError =>
  new FusioError("Remote", `the server answered with ${message}`, context);

const truncated = (context: ErrorContext, got: number, wanted: number): FusioError =>
  new FusioError("Io", `the body ended after ${got} of ${wanted} bytes`, { ...context, retryable: true });

/** The last byte of a 206 that must start at `pos` (its `Content-Range` is checked). */
function rangeEnd(response: HttpResponse, pos: number, context: ErrorContext): number {
  const match = contentRange(response);
  if (match?.[2] === undefined || Number(match[1]) !== pos) throw remote(context, "another range than asked");
  return Number(match[2]);
}

/**
 * Ranged [GetObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)
 * straight into `target`. A 206 must carry the exact `Content-Range` asked for; a 200 (the
 * server ignored Range) is windowed so the caller never gets the wrong bytes; 416 and ranges
 * that end early mean the object is shorter: `UnexpectedEof`. (When it throws, `S3Client.send`
 * releases the body.)
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
        const last = rangeEnd(response, pos, context);
        if (last < end) throw eof(context, `the object ends at ${last + 1}, the read needs ${end + 1}`);
        if (last > end) throw remote(context, "a longer range than asked");
        got = await readBodyInto(response.body, target, context);
      } else if (response.status === 200) {
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
 * is `UnexpectedEof`. A 206 must start at `pos`; a 200 (the server ignored Range) is cut there.
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
        const star = contentRange(response)?.[3];
        const total = star && star !== "*" ? Number(star) : (await client.head(key, context, signal))?.size;
        if (total === pos) return new Uint8Array(0);
        throw eof(context, `position ${pos} is past the end${total === undefined ? "" : ` (${total})`}`);
      }
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
