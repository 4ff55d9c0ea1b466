import {
  type CallOptions,
  checkBytes,
  checkPosition,
  type File,
  FusioError,
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
  readonly #options: NormalizedOpenOptions;
  readonly #commit: Commit;
  readonly #backend: string;
  #parts: Uint8Array[];
  #length: number;
  #joined: Uint8Array | undefined;
  #dirty: boolean;
  #closed = false;

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
    this.#options = options;
    this.#commit = commit;
    this.#backend = backend;
    this.#parts = initial.length > 0 ? [initial] : [];
    this.#length = initial.length;
    this.#joined = initial;
    this.#dirty = dirty;
  }

  #context(op: string): { op: string; path: string; backend: string } {
    return { op, path: this.path.raw, backend: this.#backend };
  }

  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): void {
    const context = this.#context(op);
    throwIfAborted(options?.signal, context);
    if (this.#closed) throw new FusioError("Closed", "the file is closed", context);
    if (access !== undefined && !this.#options[access]) {
      throw new FusioError("PermissionDenied", `the file was not opened for ${access}ing`, context);
    }
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
    this.#check("readExactAt", "read", options);
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
    this.#check("readToEndAt", "read", options);
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
    checkBytes(data, "data", this.#context("writeAll"));
    this.#check("writeAll", "write", options);
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
    this.#check("sync", undefined, options);
    throw new FusioError("Unsupported", "unstorage drivers have no durability barrier", this.#context("sync"));
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    if (options?.signal?.aborted) {
      // Discard: nothing was stored before close, so dropping the buffer publishes nothing.
      this.#closed = true;
      this.#parts = [];
      this.#joined = undefined;
      throwIfAborted(options.signal, this.#context("close"));
    }
    if (this.#options.write && this.#dirty) {
      await this.#commit(this.#content(), options);
      this.#dirty = false;
    }
    this.#closed = true;
    this.#parts = [];
    this.#joined = undefined;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
