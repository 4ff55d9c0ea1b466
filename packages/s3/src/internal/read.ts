import { type AbortSignalLike, type ErrorContext, FusioError } from "@fusio/core";
import { collectBody, discardBody, readBodyInto } from "@fusio/http";
import type { S3Client } from "./client.ts";
import { headObject } from "./head.ts";

/** Parses `Content-Range: bytes start-end/total` (total may be a star), or the star form of a 416. */
export function parseContentRange(
  value: string | null,
): { start: number | undefined; end: number | undefined; total: number | undefined } | undefined {
  if (value === null) return undefined;
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(value.trim());
  if (!match) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    end: match[2] === undefined ? undefined : Number(match[2]),
    total: match[3] === "*" ? undefined : Number(match[3]),
  };
}

function eof(context: ErrorContext, message: string): FusioError {
  return new FusioError("UnexpectedEof", message, context);
}

function truncated(context: ErrorContext, got: number, wanted: number): FusioError {
  return new FusioError("Io", `the body ended after ${got} of ${wanted} bytes`, { ...context, retryable: true });
}

/** Bytes `[pos, pos + length)` of a body that starts at 0 (a server that ignored Range), into `target`. */
async function copyWindow(
  body: AsyncIterable<Uint8Array>,
  target: Uint8Array,
  pos: number,
  context: ErrorContext,
): Promise<number> {
  let offset = 0;
  let filled = 0;
  for await (const chunk of body) {
    const from = Math.max(0, pos - offset);
    const to = Math.min(chunk.length, pos + target.length - offset);
    if (to > from) {
      target.set(chunk.subarray(from, to), filled);
      filled += to - from;
    }
    offset += chunk.length;
    if (filled === target.length) break;
  }
  if (filled < target.length && offset < pos + target.length) {
    throw eof(context, `the object has ${offset} bytes, the read needs ${pos + target.length}`);
  }
  return filled;
}

/**
 * Ranged [GetObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)
 * straight into `target`. A 206 must carry the exact `Content-Range` asked for; a 200 (the
 * server ignored Range) is windowed so the caller never gets the wrong bytes; 416 and ranges
 * that end early mean the object is shorter: `UnexpectedEof`.
 */
export async function readRangeInto(
  client: S3Client,
  key: string,
  target: Uint8Array,
  pos: number,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<void> {
  const end = pos + target.length - 1;
  await client.send(
    { method: "GET", key, headers: { range: `bytes=${pos}-${end}` }, idempotent: true, context, signal },
    async (response) => {
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"));
        if (range?.start !== pos || range.end === undefined) {
          await discardBody(response.body);
          throw new FusioError("Remote", "the server answered with another range than asked", context);
        }
        if (range.end < end) {
          await discardBody(response.body);
          throw eof(context, `the object ends at ${range.end + 1}, the read needs ${end + 1}`);
        }
        if (range.end !== end) {
          await discardBody(response.body);
          throw new FusioError("Remote", "the server answered with a longer range than asked", context);
        }
        const got = await readBodyInto(response.body, target, context);
        if (got !== target.length) throw truncated(context, got, target.length);
        return;
      }
      if (response.status === 200) {
        await copyWindow(response.body, target, pos, context);
        return;
      }
      await discardBody(response.body);
      throw new FusioError("Remote", `unexpected status ${response.status} for a ranged GET`, context);
    },
  );
}

/** Bytes `[pos, size)` of `key`; `pos == size` is empty, `pos > size` is `UnexpectedEof`. */
export async function readFrom(
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
      const length = Number(response.headers.get("content-length") ?? Number.NaN);
      if (response.status === 416) {
        await discardBody(response.body);
        // AWS names the size in `Content-Range: bytes */size`; RGW does not, so ask with a HEAD.
        const total =
          parseContentRange(response.headers.get("content-range"))?.total ??
          (await headObject(client, key, context, signal))?.size;
        if (total === pos) return new Uint8Array(0);
        throw eof(context, `position ${pos} is past the end${total === undefined ? "" : ` (${total})`}`);
      }
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get("content-range"));
        if (range?.start !== pos || range.end === undefined) {
          await discardBody(response.body);
          throw new FusioError("Remote", "the server answered with another range than asked", context);
        }
        const data = await collectBody(response.body, range.end - range.start + 1);
        if (data.length !== range.end - range.start + 1) throw truncated(context, data.length, range.end - pos + 1);
        return data;
      }
      const data = await collectBody(response.body, Number.isNaN(length) ? undefined : length);
      if (!Number.isNaN(length) && data.length !== length) throw truncated(context, data.length, length);
      if (pos === 0) return data;
      // 200 to a ranged request: the server ignored Range and sent everything.
      if (pos > data.length) throw eof(context, `position ${pos} is past the end (${data.length})`);
      return data.slice(pos);
    },
  );
}
