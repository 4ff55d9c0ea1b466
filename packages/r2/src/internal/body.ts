import { type AbortSignalLike, abortError, type ErrorContext, FusioError } from "@fusio/core";
import type { R2BucketLike, R2ObjectBodyLike, R2ObjectLike } from "../binding.ts";
import { fromR2Error } from "./errors.ts";
import type { MultipartWriter } from "./multipart-writer.ts";

/** True when a `get` returned content (a failed `onlyIf` returns metadata only). */
export function hasBody(object: R2ObjectLike): object is R2ObjectBodyLike {
  // Not `"body" in object`: through Miniflare's Node proxy that reads (and uses up) the body.
  return typeof (object as Partial<R2ObjectBodyLike>).arrayBuffer === "function";
}

/**
 * The whole body of a get, in one piece: `arrayBuffer()` is the binding's cheapest way out
 * (one buffer, no per-chunk calls), and callers either keep it or copy it once into theirs.
 * @throws FusioError `Aborted` when `signal` fired meanwhile.
 */
export async function readBody(
  object: R2ObjectBodyLike,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<Uint8Array> {
  let data: Uint8Array;
  try {
    data = new Uint8Array(await object.arrayBuffer());
  } catch (error) {
    throw fromR2Error(error, context);
  }
  if (signal?.aborted) throw abortError(signal, context);
  return data;
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
