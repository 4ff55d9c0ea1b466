import {
  type CallOptions,
  checkBytes,
  checkFileCall,
  checkPosition,
  type ErrorContext,
  type File,
  FusioError,
  fileContext,
  type NormalizedOpenOptions,
  type Path,
  type SyncLevel,
  throwIfAborted,
} from "@fusio/core";
import { opfsError } from "./internal/errors.ts";

/** What an `OpfsStreamFile` writes through, and what happens when it is published or dropped. */
export interface StreamWriter {
  /** The browser's writable stream on the file, positioned where new bytes go. */
  readonly writer: WritableStreamDefaultWriter<FileSystemWriteChunkType>;
  /** The size the file has for this handle before its first write. */
  readonly startSize: number;
  /** Called just before the stream closes and its content becomes visible. */
  publishing(): Promise<void>;
  /** Called after an aborted close discarded the stream (removes a file this handle created). */
  discarded(): Promise<void>;
}

/**
 * A file of an `OpfsFs` on the main thread (or wherever sync access handles are missing): reads
 * slice a `File` snapshot, writes go to the browser's writable stream, whose content replaces the
 * file's when `close` resolves. Until then readers, this handle included, see the old content.
 */
export class OpfsStreamFile implements File {
  readonly path: Path;
  readonly #handle: FileSystemFileHandle;
  readonly #stream: StreamWriter | undefined;
  readonly #state: { closed: boolean; readonly open: NormalizedOpenOptions };
  #written = 0;

  /** @internal Use `OpfsFs.open`. */
  constructor(path: Path, handle: FileSystemFileHandle, options: NormalizedOpenOptions, stream?: StreamWriter) {
    this.path = path;
    this.#handle = handle;
    this.#stream = stream;
    this.#state = { closed: false, open: options };
  }

  #context(op: string): ErrorContext {
    return fileContext("opfs", op, this.path);
  }

  async #snapshot(context: ErrorContext): Promise<globalThis.File> {
    try {
      return await this.#handle.getFile();
    } catch (error) {
      throw opfsError(error, context);
    }
  }

  async #bytes(blob: Blob, context: ErrorContext): Promise<Uint8Array> {
    try {
      return new Uint8Array(await blob.arrayBuffer());
    } catch (error) {
      throw opfsError(error, context);
    }
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    const file = await this.#snapshot(context);
    if (pos + buf.length > file.size) {
      throw new FusioError(
        "UnexpectedEof",
        `read of ${buf.length} bytes at ${pos} passes the end (${file.size})`,
        context,
      );
    }
    if (buf.length > 0) buf.set(await this.#bytes(file.slice(pos, pos + buf.length), context));
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    const file = await this.#snapshot(context);
    if (pos > file.size)
      throw new FusioError("UnexpectedEof", `position ${pos} is past the end (${file.size})`, context);
    return this.#bytes(file.slice(pos), context);
  }

  /** The size with this handle's own writes counted, although they become visible only at close. */
  async size(options?: CallOptions): Promise<number> {
    const context = this.#context("size");
    checkFileCall(this.#state, undefined, options?.signal, context);
    if (this.#stream) return this.#stream.startSize + this.#written;
    return (await this.#snapshot(context)).size;
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = this.#context("writeAll");
    checkBytes(data, "data", context);
    checkFileCall(this.#state, "write", options?.signal, context);
    const stream = this.#stream as StreamWriter;
    try {
      await stream.writer.write(data as Uint8Array<ArrayBuffer>);
    } catch (error) {
      throw opfsError(error, context);
    }
    this.#written += data.length;
  }

  async flush(options?: CallOptions): Promise<void> {
    // Nothing can be handed on early: the stream publishes at close.
    checkFileCall(this.#state, undefined, options?.signal, this.#context("flush"));
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = this.#context("sync");
    checkFileCall(this.#state, undefined, options?.signal, context);
    throw new FusioError("Unsupported", "a writable stream has no durability barrier", context);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#state.closed) return;
    this.#state.closed = true;
    const context = this.#context("close");
    const stream = this.#stream;
    if (stream === undefined) {
      throwIfAborted(options?.signal, context);
      return;
    }
    try {
      if (options?.signal?.aborted) {
        await stream.writer.abort(options.signal.reason);
        await stream.discarded();
      } else {
        await stream.publishing();
        await stream.writer.close();
      }
    } catch (error) {
      throw opfsError(error, context);
    }
    throwIfAborted(options?.signal, context);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
