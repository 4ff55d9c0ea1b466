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

/** Publishes the whole content of a file; called once by `close` when there is something to publish. */
export type Commit = (content: Uint8Array, options: CallOptions | undefined) => Promise<void>;

/**
 * A handle on one object of an unstorage driver. Drivers only move whole values, so the handle
 * holds the content: what existed at open (for reading and appending) plus what was written
 * since. Writes become visible to others only when `close` stores the whole value.
 */
export class UnstorageFile implements File {
  readonly path: Path;
  readonly #state: { closed: boolean; readonly open: NormalizedOpenOptions };
  readonly #commit: Commit;
  readonly #backend: string;
  #parts: Uint8Array[];
  #length: number;
  #joined: Uint8Array | undefined;
  #dirty: boolean;

  /**
   * @internal Use `UnstorageFs.open`.
   * @param initial what the object held at open (empty for a new or truncated file).
   * @param dirty whether `close` must store even when nothing was written (create, truncate).
   */
  constructor(
    path: Path,
    initial: Uint8Array,
    dirty: boolean,
    options: NormalizedOpenOptions,
    commit: Commit,
    backend: string,
  ) {
    this.path = path;
    this.#state = { closed: false, open: options };
    this.#commit = commit;
    this.#backend = backend;
    this.#parts = initial.length > 0 ? [initial] : [];
    this.#length = initial.length;
    this.#joined = initial;
    this.#dirty = dirty;
  }

  #context(op: string): ErrorContext {
    return fileContext(this.#backend, op, this.path);
  }

  /** The context of `op`, after the checks every call makes (see `checkFileCall`). */
  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    checkFileCall(this.#state, access, options?.signal, context);
    return context;
  }

  #content(): Uint8Array {
    if (this.#joined === undefined) {
      const joined = new Uint8Array(this.#length);
      let offset = 0;
      for (const part of this.#parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      this.#parts = joined.length > 0 ? [joined] : [];
      this.#joined = joined;
    }
    return this.#joined;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    if (pos + buf.length > this.#length) {
      throw new FusioError(
        "UnexpectedEof",
        `read of ${buf.length} bytes at ${pos} passes the end (${this.#length})`,
        context,
      );
    }
    if (buf.length > 0) buf.set(this.#content().subarray(pos, pos + buf.length));
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    if (pos > this.#length) {
      throw new FusioError("UnexpectedEof", `position ${pos} is past the end (${this.#length})`, context);
    }
    return this.#content().slice(pos);
  }

  async size(options?: CallOptions): Promise<number> {
    this.#check("size", undefined, options);
    return this.#length;
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = this.#context("writeAll");
    checkBytes(data, "data", context);
    checkFileCall(this.#state, "write", options?.signal, context);
    if (data.length === 0) return;
    // Kept until close, so it must not follow later changes of the caller's buffer.
    this.#parts.push(data.slice());
    this.#length += data.length;
    this.#joined = undefined;
    this.#dirty = true;
  }

  async flush(options?: CallOptions): Promise<void> {
    // A driver stores whole values only: there is nothing to hand on before close.
    this.#check("flush", undefined, options);
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    throw new FusioError(
      "Unsupported",
      "unstorage drivers have no durability barrier",
      this.#check("sync", undefined, options),
    );
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#state.closed) return;
    if (options?.signal?.aborted) {
      // Discard: nothing was stored before close, so dropping the buffer publishes nothing.
      this.#state.closed = true;
      this.#parts = [];
      this.#joined = undefined;
      throwIfAborted(options.signal, this.#context("close"));
    }
    if (this.#state.open.write && this.#dirty) {
      await this.#commit(this.#content(), options);
      this.#dirty = false;
    }
    this.#state.closed = true;
    this.#parts = [];
    this.#joined = undefined;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
