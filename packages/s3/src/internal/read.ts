import type { AbortSignalLike, ErrorContext, HttpResponse } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { readBodyInto } from "@fusio/http/body";
import type { S3Client } from "./client.ts";

/** `Content-Range: bytes start-end/total` (total may be a star), or the star form of a 416. */
const CONTENT_RANGE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/;

export const contentRange = (response: HttpResponse): RegExpExecArray | null =>
  CONTENT_RANGE.exec(response.headers.get("content-range")?.trim() ?? "");

export const eof = (context: ErrorContext, message: string): FusioError =>
  new FusioError("UnexpectedEof", message, context);

const remote = (context: ErrorContext, message: string): FusioError =>
  new FusioError("Remote", `the server answered with ${message}`, context);

export const truncated = (context: ErrorContext, got: number, wanted: number): FusioError =>
  new FusioError("Io", `the body ended after ${got} of ${wanted} bytes`, { ...context, retryable: true });

/** The last byte of a 206 that must start at `pos` (its `Content-Range` is checked). */
export function rangeEnd(response: HttpResponse, pos: number, context: ErrorContext): number {
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
