import {
  type AbortSignalLike,
  type ErrorContext,
  type Fs,
  FusioError,
  type Path,
  throwIfAborted,
  toPath,
  type Write,
} from "@fusio/core";

/** Options of {@link parquetSink}. */
export interface ParquetSinkOptions {
  /** Close the target when the parquet writer finishes. Default true. */
  close?: boolean | undefined;
  /** The first buffer's size in bytes; it grows to fit a row group. Default 64 KiB. */
  initialBufferSize?: number | undefined;
  /** Cancels the writes to the target. */
  signal?: AbortSignalLike | undefined;
}

/**
 * The byte writer hyparquet-writer writes through (its `Writer` interface), streaming into a
 * fusio `Write`. hyparquet-writer calls `flush()` after each row group and waits for it, and
 * `finish()` after the footer: each hands the bytes gathered since the last one to
 * `target.writeAll`. So memory holds about one encoded row group, never the whole file.
 *
 * hyparquet-writer has no way to say that it failed part way: when it throws, call
 * {@link ParquetSink.abort} (or declare the sink with `await using`, which aborts a sink that did
 * not finish), so that nothing is published and the file is closed.
 *
 * ```ts
 * await using sink = await openParquetSink(fs, "out/events.parquet");
 * await parquetWrite({ writer: sink, columnData, rowGroupSize: 100_000 });
 * ```
 */
export class ParquetSink implements AsyncDisposable {
  /** The buffer being filled (hyparquet-writer's `Writer` shape). */
  buffer: ArrayBuffer;
  view: DataView;
  /** Bytes written so far, in total: the file offset of the next byte. */
  offset = 0;
  /** Bytes in `buffer` not yet handed to the target. */
  index = 0;
  readonly #target: Write;
  readonly #close: boolean;
  readonly #signal: AbortSignalLike | undefined;
  readonly #context: ErrorContext;
  readonly #discard: (() => Promise<void>) | undefined;
  #written: Promise<void> = Promise.resolve();
  /** The buffer whose bytes the target holds until their `writeAll` settles; not to refill before. */
  #lent: ArrayBuffer | undefined;
  /** No more bytes are taken: `finish` or `abort` was called. */
  #finished = false;
  /** `finish` completed: the file is published. */
  #published = false;
  #aborted: Promise<void> | undefined;

  /**
   * @param discard Internal (`openParquetSink`): removes what an aborted target left visible.
   */
  constructor(target: Write, options: ParquetSinkOptions = {}, discard?: () => Promise<void>) {
    const context: ErrorContext = { op: "parquetSink", path: (target as { path?: Path }).path?.raw };
    const size = options.initialBufferSize ?? 64 * 1024;
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new FusioError(
        "InvalidArgument",
        `initialBufferSize must be a positive integer, got ${String(size)}`,
        context,
      );
    }
    this.#target = target;
    this.#close = options.close ?? true;
    this.#signal = options.signal;
    this.#context = context;
    this.#discard = discard;
    this.buffer = new ArrayBuffer(size);
    this.view = new DataView(this.buffer);
  }

  /** Makes room for `size` more bytes. */
  ensure(size: number): void {
    if (this.#finished) throw new FusioError("Closed", "the parquet sink has finished", this.#context);
    const needed = this.index + size;
    if (this.buffer === this.#lent) {
      // Appends before the last flush settled (hyparquet-writer waits for it, so this is rare).
      this.#use(new ArrayBuffer(Math.max(needed, this.buffer.byteLength)));
    } else if (needed > this.buffer.byteLength) {
      const grown = new ArrayBuffer(Math.max(needed, this.buffer.byteLength * 2));
      new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.index));
      this.#use(grown);
    }
  }

  /**
   * Hands the gathered bytes to the target and resolves once it accepted them. The bytes move
   * to the target as they are (no copy), and the buffer is refilled once the target is done with
   * them (`writeAll` settled, see `Write.writeAll`); appends made before that go to a fresh one.
   */
  flush(): Promise<void> {
    if (this.index > 0) {
      const buffer = this.buffer;
      const chunk = new Uint8Array(buffer, 0, this.index);
      this.index = 0;
      this.#lent = buffer;
      const written = this.#written.then(() => {
        throwIfAborted(this.#signal, this.#context);
        return this.#target.writeAll(chunk, { signal: this.#signal });
      });
      // Registered before the caller awaits `written`, so the buffer is free when it resumes.
      const returned = (): void => {
        if (this.#lent === buffer) this.#lent = undefined;
      };
      written.then(returned, returned);
      this.#written = written;
    }
    return this.#written;
  }

  /** Writes what is left and, unless `close: false`, closes the target (which publishes the file). */
  async finish(): Promise<void> {
    if (this.#aborted) throw new FusioError("Closed", "the parquet sink was aborted", this.#context);
    await this.flush();
    this.#finished = true;
    if (this.#close) await this.#target.close({ signal: this.#signal });
    this.#published = true;
  }

  /**
   * Gives the file up after the parquet writer failed: waits for the writes in flight, then
   * (unless `close: false`) closes the target with an aborted signal, which publishes nothing
   * (an object store aborts its multipart upload or drops its staged blocks). A file that
   * {@link openParquetSink} created on a file system where bytes show before close (local disk,
   * memory) is removed. Resolves once that is done; later calls do nothing, and so does a call
   * after `finish` succeeded.
   */
  abort(reason?: unknown): Promise<void> {
    if (this.#published) return Promise.resolve();
    this.#finished = true;
    this.#aborted ??= this.#giveUp(reason);
    return this.#aborted;
  }

  async #giveUp(reason: unknown): Promise<void> {
    await this.#written.catch(() => undefined);
    if (!this.#close) return;
    try {
      await this.#target.close({ signal: fired(reason ?? new FusioError("Aborted", "aborted", this.#context)) });
    } catch {
      // Expected: an aborted close rejects `Aborted`.
    }
    await this.#discard?.();
  }

  /** `await using`: a sink that did not finish is aborted. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.abort();
  }

  /** Not available: the bytes went to the target. */
  getBuffer(): ArrayBuffer {
    throw new FusioError("Unsupported", "a streaming parquet sink keeps no buffer of the file", this.#context);
  }

  /** Not available: the bytes went to the target. */
  getBytes(): Uint8Array {
    throw new FusioError("Unsupported", "a streaming parquet sink keeps no buffer of the file", this.#context);
  }

  appendUint8(value: number): void {
    this.ensure(1);
    this.view.setUint8(this.index, value);
    this.#advance(1);
  }

  appendUint32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.index, value, true);
    this.#advance(4);
  }

  appendInt32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.index, value, true);
    this.#advance(4);
  }

  appendInt64(value: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.index, BigInt(value), true);
    this.#advance(8);
  }

  appendFloat32(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.index, value, true);
    this.#advance(4);
  }

  appendFloat64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.index, value, true);
    this.#advance(8);
  }

  appendBuffer(value: ArrayBuffer): void {
    this.appendBytes(new Uint8Array(value));
  }

  appendBytes(value: Uint8Array): void {
    this.ensure(value.length);
    new Uint8Array(this.buffer, this.index, value.length).set(value);
    this.#advance(value.length);
  }

  /** Unsigned LEB128 of a 32-bit value (thrift varint). */
  appendVarInt(value: number): void {
    let rest = value >>> 0;
    while (rest > 0x7f) {
      this.appendUint8((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.appendUint8(rest);
  }

  /** Unsigned LEB128 of a 64-bit value. */
  appendVarBigInt(value: bigint): void {
    let rest = BigInt.asUintN(64, value);
    while (rest > 0x7fn) {
      this.appendUint8(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.appendUint8(Number(rest));
  }

  /** Zigzag, then varint: thrift's compact encoding of signed integers. */
  appendZigZag(value: number | bigint): void {
    if (typeof value === "number") this.appendVarInt((value << 1) ^ (value >> 31));
    else this.appendVarBigInt((value << 1n) ^ (value >> 63n));
  }

  #use(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.view = new DataView(buffer);
  }

  #advance(bytes: number): void {
    this.index += bytes;
    this.offset += bytes;
  }
}

/** A signal that has fired: a file closed with it is discarded, not published. */
function fired(reason: unknown): AbortSignalLike {
  return { aborted: true, reason, addEventListener() {}, removeEventListener() {} };
}

/** A {@link ParquetSink} writing into `target`. */
export function parquetSink(target: Write, options?: ParquetSinkOptions): ParquetSink {
  return new ParquetSink(target, options);
}

/**
 * Creates (or truncates) `path` on `fs` and returns a {@link ParquetSink} into it; the file is
 * closed, and so published, when the parquet writer finishes. When the writer fails, `abort()`
 * (or `await using`) closes the file and leaves none: on a file system where bytes show before
 * close (`capabilities.visibleBeforeClose`) the partial file is removed.
 */
export async function openParquetSink(
  fs: Fs,
  path: Path | string,
  options: Omit<ParquetSinkOptions, "close"> = {},
): Promise<ParquetSink> {
  const target = toPath(path);
  const file = await fs.open(target, { create: true, truncate: true, signal: options.signal });
  const discard = fs.capabilities.visibleBeforeClose ? () => fs.remove(target) : undefined;
  return new ParquetSink(file, { ...options, close: true }, discard);
}
