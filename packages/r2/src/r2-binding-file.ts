import {
  abortError,
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
import type { R2BucketLike, R2ObjectBodyLike, R2ObjectLike } from "./binding.ts";
import { pipeObject, readBody } from "./internal/body.ts";
import { fromR2Error } from "./internal/errors.ts";
import { MultipartWriter } from "./internal/multipart-writer.ts";

const BACKEND = "r2-binding";

/** @internal What `R2BindingFs.open` hands a file. */
export interface R2BindingFileInit {
  bucket: R2BucketLike;
  path: Path;
  options: NormalizedOpenOptions;
  /** The object as it was at open; undefined when it did not exist (or is being replaced). */
  existing: R2ObjectLike | undefined;
  partSize: number;
  concurrency: number;
  onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
}

/**
 * A handle on one R2 object. Reads are ranged gets of the stored object. Writes stream into a
 * multipart upload (or one put, for small files) that becomes visible at `close`; appending to
 * an existing object re-uploads its bytes first, guarded so that a concurrent change is not
 * silently lost.
 */
export class R2BindingFile implements File {
  readonly path: Path;
  readonly #bucket: R2BucketLike;
  readonly #key: string;
  readonly #options: NormalizedOpenOptions;
  readonly #partSize: number;
  /** The stored object to append to, when this handle appends to one. */
  readonly #base: R2ObjectLike | undefined;
  /** Whether close must publish even without writes (a new file, or a truncation). */
  readonly #publish: boolean;
  readonly #writer: MultipartWriter | undefined;
  #primed = false;
  /** Bytes the caller wrote through this handle (the writer also counts re-uploaded ones). */
  #appended = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  /** @internal Use `R2BindingFs.open`. */
  constructor(init: R2BindingFileInit) {
    const { bucket, path, options, existing } = init;
    this.path = path;
    this.#bucket = bucket;
    this.#key = path.raw;
    this.#options = options;
    this.#partSize = init.partSize;
    this.#base = options.append ? existing : undefined;
    this.#publish = options.write && (options.truncate || existing === undefined);
    if (options.write) {
      const base = this.#base;
      this.#writer = new MultipartWriter({
        bucket,
        key: this.#key,
        partSize: init.partSize,
        concurrency: init.concurrency,
        // Appends keep the object's headers and metadata, and only replace the version they read.
        onlyIf: base && { etagMatches: base.etag },
        httpMetadata: base?.httpMetadata,
        customMetadata: base?.customMetadata,
        context: fileContext(BACKEND, "close", path),
        onProgress: init.onProgress && ((loaded) => init.onProgress?.({ loaded, path: this.#key })),
      });
    }
  }

  #context(op: string): ErrorContext {
    return fileContext(BACKEND, op, this.path);
  }

  /** The context of `op` once {@link checkFileCall} lets it go ahead. */
  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    checkFileCall({ closed: this.#closed, open: this.#options }, access, options?.signal, context);
    return context;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    this.#check("readExactAt", "read", options);
    const signal = options?.signal;
    if (buf.length === 0) {
      // R2 refuses empty ranges; only the size decides.
      const size = await this.#storedSize(context);
      if (pos > size) throw eof(buf.length, pos, size, context);
      return buf;
    }
    const object = await this.#get(pos, buf.length, context);
    if (object === undefined) throw eof(buf.length, pos, 0, context);
    // A range that runs past the end comes back short: that is the end of the file.
    const data = await readBody(object, signal, context);
    if (data.length !== buf.length) throw eof(buf.length, pos, pos + data.length, context);
    buf.set(data);
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    this.#check("readToEndAt", "read", options);
    const object = await this.#get(pos, undefined, context);
    if (object === undefined) {
      const size = await this.#storedSize(context);
      if (pos > size) throw new FusioError("UnexpectedEof", `position ${pos} is past the end (${size})`, context);
      return new Uint8Array(0);
    }
    const data = await readBody(object, options?.signal, context);
    if (data.length !== object.size - pos) {
      throw new FusioError("Io", "the object returned another number of bytes than it holds", context);
    }
    return data;
  }

  async size(options?: CallOptions): Promise<number> {
    const context = this.#check("size", undefined, options);
    // A writer reports the size its file will have; a reader, the stored object's.
    if (this.#writer) return (this.#publish ? 0 : (this.#base?.size ?? 0)) + this.#appended;
    return this.#storedSize(context);
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    try {
      checkBytes(data, "data", this.#context("writeAll"));
      this.#check("writeAll", "write", options);
    } catch (error) {
      return Promise.reject(error);
    }
    const writer = this.#writer as MultipartWriter;
    const signal = options?.signal;
    // Calls apply in the order they were made, also when the caller does not wait for each.
    const run = this.#queue.then(async () => {
      if (writer.failure) throw writer.failure;
      if (signal?.aborted) throw abortError(signal, this.#context("writeAll"));
      if (data.length === 0) return; // nothing to append: no reason to start re-uploading
      await this.#prime(signal);
      await writer.write(data, signal);
      this.#appended += data.length;
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async flush(options?: CallOptions): Promise<void> {
    this.#check("flush", undefined, options);
    // Parts upload as soon as they fill; the rest must wait for close (R2 needs equal parts).
    await this.#queue;
    if (this.#writer?.failure) throw this.#writer.failure;
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = this.#check("sync", undefined, options);
    throw new FusioError("Unsupported", "R2 cannot make bytes durable before the object is complete", context);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const context = this.#context("close");
    const signal = options?.signal;
    const writer = this.#writer;
    if (writer === undefined) {
      throwIfAborted(signal, context);
      return;
    }
    await this.#queue;
    if (signal?.aborted) {
      await writer.abort(abortError(signal, context));
      throw abortError(signal, context);
    }
    if (!this.#publish && writer.written === 0 && writer.failure === undefined) return; // nothing to append
    try {
      await writer.finish(signal);
    } catch (error) {
      const failure = fromR2Error(error, context);
      await writer.abort(failure);
      throw failure;
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Before the first appended byte, streams the existing content into the upload. */
  async #prime(signal: CallOptions["signal"]): Promise<void> {
    if (this.#primed) return;
    this.#primed = true;
    const base = this.#base;
    if (base === undefined || base.size === 0) return;
    const writer = this.#writer as MultipartWriter;
    try {
      await pipeObject(this.#bucket, base, writer, this.#partSize, signal, this.#context("writeAll"));
    } catch (error) {
      // The stream now has a hole: the upload can only be abandoned.
      const failure = fromR2Error(error, this.#context("writeAll"));
      await writer.abort(failure);
      throw failure;
    }
  }

  /** A ranged get; undefined when the object is missing but this handle is creating it. */
  async #get(pos: number, length: number | undefined, context: ErrorContext): Promise<R2ObjectBodyLike | undefined> {
    let object: R2ObjectLike | null;
    try {
      object = await this.#bucket.get(
        this.#key,
        pos === 0 && length === undefined
          ? {}
          : { range: length === undefined ? { offset: pos } : { offset: pos, length } },
      );
    } catch (error) {
      const failure = fromR2Error(error, context);
      // R2 refuses a range that starts at or past the end: an empty or short read.
      if (failure.kind === "UnexpectedEof") return undefined;
      // Miniflare answers a range starting exactly at the end with an unspecified error.
      if (pos > 0 && pos >= (await this.#storedSize(context).catch(() => Number.POSITIVE_INFINITY))) return undefined;
      throw failure;
    }
    if (object === null) {
      if (this.#publish) return undefined; // not written yet: empty
      throw new FusioError("NotFound", "the object no longer exists", context);
    }
    // An unconditional get always carries a body.
    return object as R2ObjectBodyLike;
  }

  async #storedSize(context: ErrorContext): Promise<number> {
    let object: R2ObjectLike | null;
    try {
      object = await this.#bucket.head(this.#key);
    } catch (error) {
      throw fromR2Error(error, context);
    }
    if (object === null) {
      if (this.#publish) return 0;
      throw new FusioError("NotFound", "the object no longer exists", context);
    }
    return object.size;
  }
}

function eof(length: number, pos: number, size: number, context: ErrorContext): FusioError {
  return new FusioError("UnexpectedEof", `read of ${length} bytes at ${pos} passes the end (${size})`, context);
}
