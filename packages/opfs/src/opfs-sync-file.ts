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
import { readFully, type SyncAccessHandle, writeFully } from "./internal/sync-access-handle.ts";

/**
 * A file of an `OpfsFs` in a dedicated worker, on a sync access handle: positional reads straight
 * into the caller's buffer, writes that land in the file at once (other handles see them before
 * `close`), and `sync` that flushes to disk.
 */
export class OpfsSyncFile implements File {
  readonly path: Path;
  readonly #access: SyncAccessHandle;
  readonly #state: { closed: boolean; readonly open: NormalizedOpenOptions };

  /** @internal Use `OpfsFs.open`. */
  constructor(path: Path, access: SyncAccessHandle, options: NormalizedOpenOptions) {
    this.path = path;
    this.#access = access;
    this.#state = { closed: false, open: options };
  }

  #context(op: string): ErrorContext {
    return fileContext("opfs", op, this.path);
  }

  /** Runs one call on the handle with the checks every call makes, mapping what the browser throws. */
  #run<T>(
    context: ErrorContext,
    access: "read" | "write" | undefined,
    options: CallOptions | undefined,
    body: () => T,
  ): T {
    checkFileCall(this.#state, access, options?.signal, context);
    try {
      return body();
    } catch (error) {
      throw opfsError(error, context);
    }
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    const complete = this.#run(context, "read", options, () => {
      const size = this.#access.getSize();
      return pos + buf.length <= size && (buf.length === 0 || readFully(this.#access, buf, pos));
    });
    if (!complete)
      throw new FusioError("UnexpectedEof", `read of ${buf.length} bytes at ${pos} passes the end`, context);
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    const out = this.#run(context, "read", options, () => {
      const size = this.#access.getSize();
      if (pos > size) return undefined;
      const buf = new Uint8Array(size - pos);
      return readFully(this.#access, buf, pos) ? buf : undefined;
    });
    if (out === undefined) throw new FusioError("UnexpectedEof", `position ${pos} is past the end`, context);
    return out;
  }

  async size(options?: CallOptions): Promise<number> {
    return this.#run(this.#context("size"), undefined, options, () => this.#access.getSize());
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = this.#context("writeAll");
    checkBytes(data, "data", context);
    // Appends at the current end, so handles that share the file append like O_APPEND.
    this.#run(context, "write", options, () => writeFully(this.#access, data, this.#access.getSize()));
  }

  async flush(options?: CallOptions): Promise<void> {
    // Writes are already in the file; there is no buffer to hand on.
    this.#run(this.#context("flush"), undefined, options, () => {});
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    this.#run(this.#context("sync"), undefined, options, () => this.#access.flush());
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#state.closed) return;
    this.#state.closed = true;
    const context = this.#context("close");
    try {
      // Written bytes are visible already; an aborted close only skips the durability barrier.
      if (this.#state.open.syncOnClose !== undefined && !options?.signal?.aborted) this.#access.flush();
    } catch (error) {
      throw opfsError(error, context);
    } finally {
      this.#access.close();
    }
    throwIfAborted(options?.signal, context);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
