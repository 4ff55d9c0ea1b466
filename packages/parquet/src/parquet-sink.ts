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
 * ```ts
 * const sink = await openParquetSink(fs, "out/events.parquet");
 * await parquetWrite({ writer: sink, columnData, rowGroupSize: 100_000 });
 * ```
 */
export class ParquetSink {
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
  #written: Promise<void> = Promise.resolve();
  #finished = false;

  constructor(target: Write, options: ParquetSinkOptions = {}) {
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
    this.buffer = new ArrayBuffer(size);
    this.view = new DataView(this.buffer);
  }

  /** Makes room for `size` more bytes. */
  ensure(size: number): void {
    if (this.#finished) throw new FusioError("Closed", "the parquet sink has finished", this.#context);
    const needed = this.index + size;
    if (needed <= this.buffer.byteLength) return;
    const grown = new ArrayBuffer(Math.max(needed, this.buffer.byteLength * 2));
    new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.index));
    this.buffer = grown;
    this.view = new DataView(grown);
  }

  /**
   * Hands the gathered bytes to the target and resolves once it accepted them. The bytes move
   * to the target as they are (no copy); appends made meanwhile go to a fresh buffer.
   */
  flush(): Promise<void> {
    if (this.index > 0) {
      const chunk = new Uint8Array(this.buffer, 0, this.index);
      this.buffer = new ArrayBuffer(this.buffer.byteLength);
      this.view = new DataView(this.buffer);
      this.index = 0;
      this.#written = this.#written.then(() => {
        throwIfAborted(this.#signal, this.#context);
        return this.#target.writeAll(chunk, { signal: this.#signal });
      });
    }
    return this.#written;
  }

  /** Writes what is left and, unless `close: false`, closes the target (which publishes the file). */
  async finish(): Promise<void> {
    await this.flush();
    this.#finished = true;
    if (this.#close) await this.#target.close({ signal: this.#signal });
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

  #advance(bytes: number): void {
    this.index += bytes;
    this.offset += bytes;
  }
}

/** A {@link ParquetSink} writing into `target`. */
export function parquetSink(target: Write, options?: ParquetSinkOptions): ParquetSink {
  return new ParquetSink(target, options);
}

/**
 * Creates (or truncates) `path` on `fs` and returns a {@link ParquetSink} into it; the file is
 * closed, and so published, when the parquet writer finishes.
 */
export async function openParquetSink(
  fs: Fs,
  path: Path | string,
  options: Omit<ParquetSinkOptions, "close"> = {},
): Promise<ParquetSink> {
  const file = await fs.open(toPath(path), { create: true, truncate: true, signal: options.signal });
  return new ParquetSink(file, { ...options, close: true });
}
