import { type AbortSignalLike, abortError, type ErrorContext, FusioError } from "@fusio/core";
import type { R2BodyStreamLike, R2BucketLike, R2ObjectBodyLike, R2ObjectLike } from "../binding.ts";
import { fromR2Error } from "./errors.ts";
import type { MultipartWriter } from "./multipart-writer.ts";

/** True when a `get` returned content (a failed `onlyIf` returns metadata only). */
export function hasBody(object: R2ObjectLike): object is R2ObjectBodyLike {
  // Not `"body" in object`: through Miniflare's Node proxy that reads (and uses up) the body.
  return typeof (object as Partial<R2ObjectBodyLike>).arrayBuffer === "function";
}

/**
 * Copies the whole stream into `target` from `offset` on, chunk by chunk (no intermediate
 * buffer), and resolves to the number of bytes copied.
 * @throws FusioError `Io` when the stream holds more than fits; `Aborted` between chunks.
 */
export async function readInto(
  body: R2BodyStreamLike,
  target: Uint8Array,
  offset: number,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<number> {
  const reader = body.getReader();
  let at = offset;
  try {
    for (;;) {
      if (signal?.aborted) throw abortError(signal, context);
      const { done, value } = await reader.read();
      if (done) break;
      if (value === undefined || value.length === 0) continue;
      if (at + value.length > target.length) {
        throw new FusioError("Io", "the object returned more bytes than it said it holds", context);
      }
      target.set(value, at);
      at += value.length;
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw fromR2Error(error, context);
  } finally {
    reader.releaseLock();
  }
  return at - offset;
}

/**
 * Feeds the object at `key` (which must still have `etag`) into `writer`, `partSize` bytes per
 * ranged get, so memory stays bounded however large it is.
 * @throws FusioError `PreconditionFailed` when the object changed or vanished meanwhile.
 */
export async function pipeObject(
  bucket: R2BucketLike,
  source: { key: string; size: number; etag: string },
  writer: MultipartWriter,
  partSize: number,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<void> {
  for (let offset = 0; offset < source.size; offset += partSize) {
    if (signal?.aborted) throw abortError(signal, context);
    const length = Math.min(partSize, source.size - offset);
    let object: R2ObjectLike | null;
    try {
      object = await bucket.get(source.key, { range: { offset, length }, onlyIf: { etagMatches: source.etag } });
    } catch (error) {
      throw fromR2Error(error, context);
    }
    if (object === null || !hasBody(object)) {
      throw new FusioError("PreconditionFailed", "the source object changed while it was being read", context);
    }
    // Chunks go straight into the writer's part buffer: one copy, no slice of a whole part.
    const reader = object.body.getReader();
    let read = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value === undefined || value.length === 0) continue;
        read += value.length;
        if (read > length) throw new FusioError("Io", "the object returned more bytes than asked for", context);
        await writer.write(value, signal);
      }
    } catch (error) {
      await reader.cancel(error).catch(() => {});
      throw fromR2Error(error, context);
    } finally {
      reader.releaseLock();
    }
    if (read !== length) throw new FusioError("Io", "the object returned fewer bytes than asked for", context);
  }
}
