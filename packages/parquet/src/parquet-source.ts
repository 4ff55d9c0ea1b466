import {
  type AbortSignalLike,
  type CallOptions,
  type ErrorContext,
  type Fs,
  FusioError,
  type Path,
  type Read,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { type ByteRange, coalesce } from "./internal/ranges.ts";

/** Options of {@link parquetSource}. */
export interface ParquetSourceOptions {
  /**
   * Bytes read from the end of the file when the source is made, and kept: parquet's footer
   * (metadata, and often the page indexes) lives there, so reading the metadata costs this one
   * read. Default 512 KiB, the same as hyparquet's `initialFetchSize`; when you change it, pass
   * the same number as `initialFetchSize` to hyparquet. 0 turns the prefetch off.
   */
  footerPrefetch?: number | undefined;
  /**
   * Ranges requested together (hyparquet asks for all the column chunks of a read at once) that
   * lie at most this many bytes apart are fetched with one read. Default 1 MiB, as Rust's
   * object_store; 0 still merges ranges that touch or overlap.
   */
  coalesceGap?: number | undefined;
  /** Coalescing never makes a read longer than this. Default 16 MiB. */
  maxCoalescedRead?: number | undefined;
  /** Reads in flight at once. Default 8. */
  concurrency?: number | undefined;
  /** Cancels every read of this source. */
  signal?: AbortSignalLike | undefined;
}

/**
 * What hyparquet reads from (its `AsyncBuffer`): pass it as `file` to `parquetMetadataAsync`,
 * `parquetRead`, `parquetReadObjects` or `parquetQuery`.
 */
export interface ParquetSource {
  /** The file's size. */
  readonly byteLength: number;
  /**
   * Bytes `[start, end)` (`end` defaults to the size) in a new `ArrayBuffer`.
   * @throws FusioError `InvalidArgument` for bad bounds, `UnexpectedEof` past the end, and
   *   whatever the underlying file raises.
   */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  /** How many bytes at the end of the file were prefetched (and are served without I/O). */
  readonly footerPrefetch: number;
}

/** A {@link ParquetSource} that owns the file it reads; close it when done. */
export interface OwnedParquetSource extends ParquetSource, AsyncDisposable {
  /** Closes the underlying file. */
  close(options?: CallOptions): Promise<void>;
}

const KiB = 1024;
/** A parquet file is at least its leading and trailing `PAR1` and the 4-byte footer length. */
const SMALLEST_PARQUET = 12;
const MiB = 1024 * KiB;

interface Request extends ByteRange {
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

function option(value: number | undefined, fallback: number, name: string, minimum: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < minimum) {
    throw new FusioError("InvalidArgument", `${name} must be an integer >= ${minimum}, got ${String(value)}`, {
      op: "parquetSource",
    });
  }
  return chosen;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  // A read of exactly the requested range owns its whole buffer: hand it over without a copy.
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

class FileParquetSource implements ParquetSource {
  readonly byteLength: number;
  readonly footerPrefetch: number;
  readonly #file: Read;
  readonly #tail: Uint8Array;
  readonly #gap: number;
  readonly #maxRead: number;
  readonly #concurrency: number;
  readonly #signal: AbortSignalLike | undefined;
  readonly #context: ErrorContext;
  #pending: Request[] = [];
  #scheduled = false;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    file: Read,
    size: number,
    tail: Uint8Array,
    options: { gap: number; maxRead: number; concurrency: number; signal: AbortSignalLike | undefined },
    context: ErrorContext,
  ) {
    this.#file = file;
    this.byteLength = size;
    this.#tail = tail;
    this.footerPrefetch = tail.length;
    this.#gap = options.gap;
    this.#maxRead = options.maxRead;
    this.#concurrency = options.concurrency;
    this.#signal = options.signal;
    this.#context = context;
  }

  async slice(start: number, end: number = this.byteLength): Promise<ArrayBuffer> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new FusioError("InvalidArgument", `bad slice [${String(start)}, ${String(end)})`, this.#context);
    }
    if (end > this.byteLength) {
      throw new FusioError(
        "UnexpectedEof",
        `slice [${start}, ${end}) passes the end (${this.byteLength})`,
        this.#context,
      );
    }
    if (start === end) return new ArrayBuffer(0);
    const tailStart = this.byteLength - this.#tail.length;
    if (start >= tailStart) return this.#tail.slice(start - tailStart, end - tailStart).buffer;
    if (end <= tailStart) return toArrayBuffer(await this.#request(start, end));
    // Straddles the prefetched tail: read only the part before it.
    const head = await this.#request(start, tailStart);
    const out = new Uint8Array(end - start);
    out.set(head, 0);
    out.set(this.#tail.subarray(0, end - tailStart), head.length);
    return out.buffer;
  }

  #request(start: number, end: number): Promise<Uint8Array> {
    throwIfAborted(this.#signal, this.#context);
    return new Promise((resolve, reject) => {
      this.#pending.push({ start, end, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // hyparquet asks for every range of a read in one synchronous pass; gather them all
        // before deciding what to merge.
        Promise.resolve().then(() => this.#dispatch());
      }
    });
  }

  #dispatch(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    for (const read of coalesce(batch, this.#gap, this.#maxRead)) {
      this.#run(read.start, read.end).then(
        (bytes) => {
          for (const member of read.members)
            member.resolve(bytes.subarray(member.start - read.start, member.end - read.start));
        },
        (error: unknown) => {
          for (const member of read.members) member.reject(error);
        },
      );
    }
  }

  async #run(start: number, end: number): Promise<Uint8Array> {
    if (this.#active >= this.#concurrency) await new Promise<void>((resume) => this.#waiting.push(resume));
    this.#active++;
    try {
      return await this.#file.readExactAt(new Uint8Array(end - start), start, { signal: this.#signal });
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}

/**
 * Makes a fusio file readable by hyparquet: one `size` call and one read of the last
 * `footerPrefetch` bytes now, then reads of only the ranges hyparquet asks for, nearby ones
 * merged (`coalesceGap`) and run concurrently. The whole file is never downloaded unless it is
 * smaller than the prefetch.
 *
 * ```ts
 * const file = await fs.open("data/events.parquet");
 * const source = await parquetSource(file);
 * const rows = await parquetReadObjects({ file: source, columns: ["id", "name"] });
 * ```
 * @throws FusioError `InvalidArgument` for bad options or a file shorter than the smallest
 *   parquet file (12 bytes: an empty file, say), and whatever the file's calls raise.
 */
export async function parquetSource(file: Read, options: ParquetSourceOptions = {}): Promise<ParquetSource> {
  const path = (file as { path?: Path }).path;
  const context: ErrorContext = { op: "parquetSource", path: path?.raw };
  const footer = option(options.footerPrefetch, 512 * KiB, "footerPrefetch", 0);
  const gap = option(options.coalesceGap, MiB, "coalesceGap", 0);
  const maxRead = option(options.maxCoalescedRead, 16 * MiB, "maxCoalescedRead", 1);
  const concurrency = option(options.concurrency, 8, "concurrency", 1);
  const signal = options.signal;
  throwIfAborted(signal, context);
  const size = await file.size({ signal });
  // hyparquet meets a file too short for its footer with a RangeError of its own.
  if (size < SMALLEST_PARQUET) {
    throw new FusioError("InvalidArgument", `a file of ${size} bytes is not a parquet file`, context);
  }
  const tailLength = Math.min(footer, size);
  const tail = await file.readExactAt(new Uint8Array(tailLength), size - tailLength, { signal });
  return new FileParquetSource(file, size, tail, { gap, maxRead, concurrency, signal }, context);
}

/**
 * Opens `path` on `fs` read-only and makes a {@link parquetSource} of it; `close()` (or
 * `await using`) closes the file.
 */
export async function openParquetSource(
  fs: Fs,
  path: Path | string,
  options: ParquetSourceOptions = {},
): Promise<OwnedParquetSource> {
  const file = await fs.open(toPath(path), { signal: options.signal });
  let source: ParquetSource;
  try {
    source = await parquetSource(file, options);
  } catch (error) {
    await file.close().catch(() => undefined);
    throw error;
  }
  const close = (closeOptions?: CallOptions): Promise<void> => file.close(closeOptions);
  return {
    byteLength: source.byteLength,
    footerPrefetch: source.footerPrefetch,
    slice: (start, end) => source.slice(start, end),
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
