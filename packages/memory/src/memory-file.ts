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
import type { Entry } from "./entry.ts";

/** A handle on one {@link Entry} of a `MemoryFs`. */
export class MemoryFile implements File {
  readonly path: Path;
  readonly #entry: Entry;
  readonly #options: NormalizedOpenOptions;
  readonly #nextTag: () => string;
  #closed = false;

  /** @internal Use `MemoryFs.open`. */
  constructor(path: Path, entry: Entry, options: NormalizedOpenOptions, nextTag: () => string) {
    this.path = path;
    this.#entry = entry;
    this.#options = options;
    this.#nextTag = nextTag;
  }

  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): void {
    const context = { op, path: this.path.raw, backend: "memory" };
    throwIfAborted(options?.signal, context);
    if (this.#closed) throw new FusioError("Closed", "the file is closed", context);
    if (access !== undefined && !this.#options[access]) {
      throw new FusioError("PermissionDenied", `the file was not opened for ${access}ing`, context);
    }
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = { op: "readExactAt", path: this.path.raw, backend: "memory" };
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    this.#check("readExactAt", "read", options);
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
    const context = { op: "readToEndAt", path: this.path.raw, backend: "memory" };
    checkPosition(pos, "pos", context);
    this.#check("readToEndAt", "read", options);
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
    checkBytes(data, "data", { op: "writeAll", path: this.path.raw, backend: "memory" });
    this.#check("writeAll", "write", options);
    this.#entry.append(data);
    this.#entry.tag = this.#nextTag();
    this.#entry.lastModified = new Date();
  }

  async flush(options?: CallOptions): Promise<void> {
    this.#check("flush", undefined, options);
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    this.#check("sync", undefined, options);
    throw new FusioError("Unsupported", "memory has no durability to sync", {
      op: "sync",
      path: this.path.raw,
      backend: "memory",
    });
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Memory writes are visible at once: an aborted close has nothing left to discard.
    throwIfAborted(options?.signal, { op: "close", path: this.path.raw, backend: "memory" });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
