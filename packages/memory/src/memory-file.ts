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
import type { Entry } from "./entry.ts";

/** A handle on one {@link Entry} of a `MemoryFs`. */
export class MemoryFile implements File {
  readonly path: Path;
  readonly #entry: Entry;
  readonly #nextTag: () => string;
  readonly #state: { closed: boolean; readonly open: NormalizedOpenOptions };

  /** @internal Use `MemoryFs.open`. */
  constructor(path: Path, entry: Entry, options: NormalizedOpenOptions, nextTag: () => string) {
    this.path = path;
    this.#entry = entry;
    this.#state = { closed: false, open: options };
    this.#nextTag = nextTag;
  }

  #context(op: string): ErrorContext {
    return fileContext("memory", op, this.path);
  }

  /** The context of `op`, after the checks every call makes (see `checkFileCall`). */
  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    checkFileCall(this.#state, access, options?.signal, context);
    return context;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    if (pos + buf.length > this.#entry.length) {
      throw new FusioError(
        "UnexpectedEof",
        `read of ${buf.length} bytes at ${pos} passes the end (${this.#entry.length})`,
        context,
      );
    }
    buf.set(this.#entry.view().subarray(pos, pos + buf.length));
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    checkFileCall(this.#state, "read", options?.signal, context);
    if (pos > this.#entry.length) {
      throw new FusioError("UnexpectedEof", `position ${pos} is past the end (${this.#entry.length})`, context);
    }
    return this.#entry.view().slice(pos);
  }

  async size(options?: CallOptions): Promise<number> {
    this.#check("size", undefined, options);
    return this.#entry.length;
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = this.#context("writeAll");
    checkBytes(data, "data", context);
    checkFileCall(this.#state, "write", options?.signal, context);
    this.#entry.append(data);
    this.#entry.tag = this.#nextTag();
    this.#entry.lastModified = new Date();
  }

  async flush(options?: CallOptions): Promise<void> {
    this.#check("flush", undefined, options);
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    throw new FusioError("Unsupported", "memory has no durability to sync", this.#check("sync", undefined, options));
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#state.closed) return;
    this.#state.closed = true;
    // Memory writes are visible at once: an aborted close has nothing left to discard.
    throwIfAborted(options?.signal, this.#context("close"));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
