import {
  abortError,
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
import { concatBytes } from "@fusio/http/body";
import type { S3Client } from "./internal/client.ts";
import type { ObjectHead } from "./internal/head.ts";
import { lazy } from "./internal/lazy.ts";
import type { Writer } from "./internal/multipart-writer.ts";
import { readRangeInto, readToEnd } from "./internal/read.ts";

/** Multipart uploads and appends, loaded when a handle first needs them. */
const writerModule = lazy(() => import("./internal/multipart-writer.ts"));

/**
 * A handle on one S3 object. Reads are ranged GETs of the stored object. Writes are buffered
 * and only become visible at `close`: one PUT for small objects, otherwise a multipart upload
 * with fixed-size parts, a bounded number in flight, aborted server-side on any failure. A
 * write handle without `truncate` appends: the existing object is spliced in server-side
 * (UploadPartCopy guarded by its ETag) or, under 5 MiB, downloaded and re-uploaded.
 */
export class S3File implements File {
  readonly path: Path;
  readonly #client: S3Client;
  readonly #open: NormalizedOpenOptions;
  /** The object as it was at open (undefined: missing, or not looked up because truncated). */
  readonly #head: ObjectHead | undefined;
  #closed = false;
  #written = 0;
  #failure: unknown;
  #chain: Promise<void> = Promise.resolve();
  /** Copies of the bytes written while they stay under one part (then they go to `#writer`). */
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Multipart uploads and appends (`internal/multipart-writer.ts`, loaded at first use). */
  #writer: Writer | undefined;

  /** @internal Use `S3Fs.open`. */
  constructor(client: S3Client, path: Path, open: NormalizedOpenOptions, head: ObjectHead | undefined) {
    this.#client = client;
    this.path = path;
    this.#open = open;
    this.#head = head;
  }

  #context(op: string): ErrorContext {
    return fileContext("s3", op, this.path);
  }

  /** The context of `op` once {@link checkFileCall} lets it go ahead. */
  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    checkFileCall({ closed: this.#closed, open: this.#open }, access, options?.signal, context);
    return context;
  }

  /** The stored object's size as of open (0 when it did not exist). */
  #storedSize(): number {
    return this.#head?.size ?? 0;
  }

  /** The handle keeps the existing object's bytes: writes go through `#writer` from the start. */
  #appends(): boolean {
    return this.#open.append && this.#head !== undefined;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    this.#check("readExactAt", "read", options);
    if (buf.length === 0) {
      if (pos > this.#storedSize()) throw new FusioError("UnexpectedEof", `position ${pos} is past the end`, context);
      return buf;
    }
    await readRangeInto(this.#client, this.path.raw, buf, pos, context, options?.signal);
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    this.#check("readToEndAt", "read", options);
    // The size is known from the HEAD at open: reading from the end needs no (failing) request.
    if (this.#head !== undefined && pos === this.#head.size) return new Uint8Array(0);
    return readToEnd(this.#client, this.path.raw, pos, context, options?.signal);
  }

  async size(options?: CallOptions): Promise<number> {
    this.#check("size", undefined, options);
    return this.#open.write ? (this.#open.truncate ? 0 : this.#storedSize()) + this.#written : this.#storedSize();
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    try {
      checkBytes(data, "data", this.#context("writeAll"));
      this.#check("writeAll", "write", options);
      this.#throwIfFailed();
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    const run = this.#chain.then(async () => {
      this.#throwIfFailed();
      if (data.length === 0) return;
      try {
        // Queued behind other writes, this one may have been aborted meanwhile.
        if (signal?.aborted) throw abortError(signal, this.#context("writeAll"));
        if (this.#writer === undefined && !this.#appends() && this.#buffered + data.length < this.#client.partSize) {
          this.#chunks.push(data.slice());
          this.#buffered += data.length;
        } else {
          await (await this.#ensureWriter(signal)).write(data, signal);
        }
      } catch (error) {
        // A write cut short may have buffered part of `data`: never publish that.
        this.#failure ??= error;
        throw error;
      }
      this.#written += data.length;
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async flush(options?: CallOptions): Promise<void> {
    this.#check("flush", undefined, options);
    await this.#chain;
    this.#throwIfFailed();
  }

  async sync(level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = this.#check("sync", undefined, options);
    if (level !== "data") {
      throw new FusioError("Unsupported", "S3 objects are only durable once closed; sync supports 'data'", context);
    }
    await this.#chain;
    this.#throwIfFailed();
    await this.#writer?.sync(options?.signal);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    const context = this.#context("close");
    // An aborted close still closes: it discards the pending upload instead of publishing it.
    this.#closed = true;
    const signal = options?.signal;
    if (!this.#open.write) {
      throwIfAborted(signal, context);
      return;
    }
    try {
      await this.#chain;
      throwIfAborted(signal, context);
      this.#throwIfFailed();
      // Appending nothing leaves the object as it is.
      if (this.#appends() && this.#written === 0) return;
      if (this.#writer !== undefined) {
        await this.#writer.close(signal);
        return;
      }
      const body = this.#chunks.length === 1 ? (this.#chunks[0] as Uint8Array) : concatBytes(this.#chunks);
      this.#chunks = [];
      await this.#client.put(this.path.raw, body, { context, signal });
      this.#client.onProgress?.({ loaded: body.length, path: this.path.raw });
    } catch (error) {
      this.#failure ??= error;
      await this.#writer?.discard(error);
      throw FusioError.is(error, "Aborted") || !signal?.aborted ? error : new FusioError("Aborted", "aborted", context);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Loads the writer module and hands it the bytes buffered so far. */
  async #ensureWriter(signal: CallOptions["signal"]): Promise<Writer> {
    if (this.#writer === undefined) {
      const { Writer } = await writerModule();
      this.#writer = new Writer(this.#client, this.path, this.#open, this.#head);
      const buffered = concatBytes(this.#chunks);
      this.#chunks = [];
      this.#buffered = 0;
      await this.#writer.write(buffered, signal);
    }
    return this.#writer;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
