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
import type { MyKv } from "./my-kv.ts";

/**
 * An open file of a `KvFs`. It holds the file's bytes and stores them with one `kv.set` at
 * `close`, so other readers see new bytes only then (`visibleBeforeClose: false`).
 *
 * Every method acts on `#data` before its first `await`, so calls on one handle apply in the
 * order they were made even when the caller does not wait for each. A file whose writes await
 * I/O must queue them to keep that order.
 */
export class KvFile implements File {
  readonly path: Path;
  readonly #kv: MyKv;
  readonly #state: { closed: boolean; readonly open: NormalizedOpenOptions };
  #data: Uint8Array;

  /** @internal Use `KvFs.open`. */
  constructor(kv: MyKv, path: Path, open: NormalizedOpenOptions, data: Uint8Array) {
    this.path = path;
    this.#kv = kv;
    this.#state = { closed: false, open };
    this.#data = data;
  }

  /** The context of `op`'s errors, after the checks every call makes: Aborted, Closed, PermissionDenied. */
  #begin(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = fileContext("kv", op, this.path);
    checkFileCall(this.#state, access, options?.signal, context);
    return context;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#begin("readExactAt", "read", options);
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    if (pos + buf.length > this.#data.length) {
      throw new FusioError("UnexpectedEof", `the file ends at ${this.#data.length}`, context);
    }
    buf.set(this.#data.subarray(pos, pos + buf.length));
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#begin("readToEndAt", "read", options);
    checkPosition(pos, "pos", context);
    if (pos > this.#data.length) {
      throw new FusioError("UnexpectedEof", `the file ends at ${this.#data.length}`, context);
    }
    return this.#data.slice(pos);
  }

  async size(options?: CallOptions): Promise<number> {
    this.#begin("size", undefined, options);
    return this.#data.length;
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = this.#begin("writeAll", "write", options);
    checkBytes(data, "data", context);
    // A new array: the caller may change `data` once this settles, and readers of the old one keep it.
    const next = new Uint8Array(this.#data.length + data.length);
    next.set(this.#data);
    next.set(data, this.#data.length);
    this.#data = next;
  }

  async flush(options?: CallOptions): Promise<void> {
    // Nothing sits between this handle and the store that a flush could hand on before close.
    this.#begin("flush", undefined, options);
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = this.#begin("sync", undefined, options);
    throw new FusioError("Unsupported", "kv has no durability barrier", context);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#state.closed) return;
    this.#state.closed = true;
    // An aborted close discards: the handle is closed and the store keeps what it had.
    throwIfAborted(options?.signal, fileContext("kv", "close", this.path));
    if (this.#state.open.write) await this.#kv.set(this.path.raw, this.#data);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
