import {
  type CallOptions,
  checkBytes,
  checkPosition,
  type File,
  FusioError,
  type Path,
  type Read,
  type SyncLevel,
  type Write,
} from "@fusio/core";

/** Options of {@link BufferedReader} and {@link BufferedWriter}. */
export interface BufferOptions {
  /** Buffer size in bytes. Default 64 KiB. */
  capacity?: number | undefined;
}

function capacityOf(options: BufferOptions, op: string): number {
  const capacity = options.capacity ?? 64 * 1024;
  if (!Number.isSafeInteger(capacity) || capacity <= 0) {
    throw new FusioError("InvalidArgument", "capacity must be a positive safe integer", { op });
  }
  return capacity;
}

/**
 * Serves small reads from one window of `capacity` bytes, so a run of nearby reads costs one
 * read of the underlying file (one request on an object store). The file size is read once,
 * at the first read, and cached: use it on files that do not change while it is open.
 */
export class BufferedReader implements Read {
  readonly #inner: Read;
  readonly #capacity: number;
  #window = new Uint8Array(0);
  #windowPos = 0;
  #size: number | undefined;
  /** How many reads of the underlying file were made (windows filled plus reads passed through). */
  fills = 0;

  constructor(inner: Read, options: BufferOptions = {}) {
    this.#inner = inner;
    this.#capacity = capacityOf(options, "BufferedReader");
  }

  async size(options?: CallOptions): Promise<number> {
    this.#size ??= await this.#inner.size(options);
    return this.#size;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = { op: "readExactAt" };
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    const end = pos + buf.length;
    if (pos >= this.#windowPos && end <= this.#windowPos + this.#window.length) {
      buf.set(this.#window.subarray(pos - this.#windowPos, end - this.#windowPos));
      return buf;
    }
    const size = await this.size(options);
    if (end > size) {
      throw new FusioError("UnexpectedEof", `read of ${buf.length} bytes at ${pos} passes the end (${size})`, context);
    }
    if (buf.length >= this.#capacity) {
      this.fills++;
      return this.#inner.readExactAt(buf, pos, options);
    }
    const window = new Uint8Array(Math.min(this.#capacity, size - pos));
    this.fills++;
    await this.#inner.readExactAt(window, pos, options);
    this.#window = window;
    this.#windowPos = pos;
    buf.set(window.subarray(0, buf.length));
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    checkPosition(pos, "pos", { op: "readToEndAt" });
    const size = await this.size(options);
    if (pos > size)
      throw new FusioError("UnexpectedEof", `position ${pos} is past the end (${size})`, { op: "readToEndAt" });
    return this.readExactAt(new Uint8Array(size - pos), pos, options);
  }
}

/**
 * Collects small writes into one buffer of `capacity` bytes and hands them to the file in one
 * `writeAll`. A write larger than the buffer goes straight through (after what was buffered).
 * Bytes in the buffer are not visible until `flush`, `sync` or `close`.
 */
export class BufferedWriter implements Write, AsyncDisposable {
  readonly #inner: Write & Partial<Pick<File, "sync" | "path">>;
  readonly #buffer: Uint8Array;
  #length = 0;
  #tail: Promise<void> = Promise.resolve();
  /** How many `writeAll` calls reached the underlying file. */
  writes = 0;

  constructor(inner: Write & Partial<Pick<File, "sync" | "path">>, options: BufferOptions = {}) {
    this.#inner = inner;
    this.#buffer = new Uint8Array(capacityOf(options, "BufferedWriter"));
  }

  /** The path of the underlying file, when it has one. */
  get path(): Path | undefined {
    return this.#inner.path;
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    return this.#serial(async () => {
      checkBytes(data, "data", { op: "writeAll" });
      if (this.#length + data.length > this.#buffer.length) await this.#drain(options);
      if (data.length >= this.#buffer.length) {
        this.writes++;
        await this.#inner.writeAll(data, options);
      } else {
        this.#buffer.set(data, this.#length);
        this.#length += data.length;
      }
    });
  }

  flush(options?: CallOptions): Promise<void> {
    return this.#serial(async () => {
      await this.#drain(options);
      await this.#inner.flush(options);
    });
  }

  /** Flushes, then syncs the underlying file. @throws FusioError `Unsupported` when it cannot sync. */
  sync(level?: SyncLevel, options?: CallOptions): Promise<void> {
    return this.#serial(async () => {
      await this.#drain(options);
      if (!this.#inner.sync) throw new FusioError("Unsupported", "the underlying writer cannot sync", { op: "sync" });
      await this.#inner.sync(level, options);
    });
  }

  /** Writes what is buffered and closes the file; with an aborted signal, drops the buffer and discards. */
  close(options?: CallOptions): Promise<void> {
    return this.#serial(async () => {
      if (options?.signal?.aborted) this.#length = 0;
      else await this.#drain(options);
      await this.#inner.close(options);
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // Calls run one after another, so the buffer is never changed while the inner writer may
  // still read it (the Write contract: the caller keeps data unchanged until writeAll settles).
  #serial(step: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(step);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #drain(options?: CallOptions): Promise<void> {
    if (this.#length === 0) return;
    const length = this.#length;
    this.#length = 0;
    this.writes++;
    await this.#inner.writeAll(this.#buffer.subarray(0, length), options);
  }
}
