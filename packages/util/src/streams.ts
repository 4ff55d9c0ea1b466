import { type CallOptions, checkPosition, FusioError, type Read, type Write } from "@fusio/core";
import { discard } from "./files.ts";

/** Options of {@link toReadableStream}. */
export interface ReadableOptions extends CallOptions {
  /** First byte. Default 0. */
  start?: number | undefined;
  /** One past the last byte. Default: the size when the stream starts. */
  end?: number | undefined;
  /** Bytes per read. Default 64 KiB. */
  chunkSize?: number | undefined;
}

/**
 * Bytes `[start, end)` of a file as a WHATWG `ReadableStream`, one `readExactAt` per pull (so
 * a slow consumer never buffers more than one chunk). The file stays open; close it yourself.
 */
export function toReadableStream(file: Read, options: ReadableOptions = {}): ReadableStream<Uint8Array> {
  const { signal } = options;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const start = options.start ?? 0;
  checkPosition(start, "start", { op: "toReadableStream" });
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new FusioError("InvalidArgument", "chunkSize must be a positive safe integer", { op: "toReadableStream" });
  }
  let pos = start;
  let end = options.end;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        end ??= await file.size({ signal });
        if (pos >= end) {
          if (pos > end) throw new FusioError("InvalidArgument", "end is before start", { op: "toReadableStream" });
          controller.close();
          return;
        }
        const length = Math.min(chunkSize, end - pos);
        const chunk = await file.readExactAt(new Uint8Array(length), pos, { signal });
        pos += length;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Options of {@link toWritableStream}. */
export interface WritableOptions {
  /** Close the file when the stream closes (default true); an aborted stream always discards. */
  closeFile?: boolean | undefined;
}

/**
 * A WHATWG `WritableStream` that appends each chunk with `writeAll`. Closing the stream closes
 * the file (publishing it); aborting the stream discards the file (object stores publish
 * nothing).
 */
export function toWritableStream(file: Write, options: WritableOptions = {}): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write: (chunk) => file.writeAll(chunk),
    close: () => (options.closeFile === false ? file.flush() : file.close()),
    abort: () => discard(file),
  });
}

/**
 * Writes everything `stream` yields into `file` and closes it. On any error (from the stream or
 * the file) or abort, the file is discarded instead and the error rethrown.
 */
export async function writeFromStream(
  file: Write,
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: CallOptions = {},
): Promise<void> {
  const chunks = "getReader" in stream ? readerChunks(stream) : stream;
  try {
    for await (const chunk of chunks) {
      await file.writeAll(chunk, options);
    }
    await file.close(options);
  } catch (error) {
    await discard(file);
    throw error;
  }
}

// Not every runtime makes ReadableStream async-iterable (Safari does not), so read it by hand.
async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Reached on early exit too (an error while writing): cancel so the source stops.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
