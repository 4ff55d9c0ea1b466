import {
  type CallOptions,
  checkBytes,
  checkPosition,
  type ErrorContext,
  type File,
  FusioError,
  type NormalizedOpenOptions,
  type Path,
  type SyncLevel,
  throwIfAborted,
} from "@fusio/core";
import { PartScheduler } from "@fusio/http";
import type { S3Client } from "./internal/client.ts";
import type { ObjectHead } from "./internal/head.ts";
import { MultipartUpload } from "./internal/multipart.ts";
import { ifMatchValue, putObject } from "./internal/put.ts";
import { readFrom, readRangeInto } from "./internal/read.ts";
import { MAX_COPY_PART, MIN_PART_SIZE } from "./options.ts";

/** What an `S3File` needs from its `S3Fs`. */
export interface S3FileConfig {
  readonly client: S3Client;
  readonly partSize: number;
  readonly concurrency: number;
  readonly onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
}

/**
 * A handle on one S3 object. Reads are ranged GETs of the stored object. Writes are buffered
 * and only become visible at `close`: one PUT for small objects, otherwise a multipart upload
 * with fixed-size parts, a bounded number in flight, aborted server-side on any failure. A
 * write handle without `truncate` appends: the existing object is spliced in server-side
 * (UploadPartCopy guarded by its ETag) or, under 5 MiB, downloaded and re-uploaded.
 */
export class S3File implements File {
  readonly path: Path;
  readonly #config: S3FileConfig;
  readonly #open: NormalizedOpenOptions;
  /** The object as it was at open (undefined: missing, or not looked up because truncated). */
  readonly #head: ObjectHead | undefined;
  #closed = false;
  #written = 0;
  #failure: unknown;
  #chain: Promise<void> = Promise.resolve();
  #scheduler: PartScheduler<string> | undefined;
  #prefixLoaded = false;
  #upload: Promise<{ upload: MultipartUpload; copied: string[] }> | undefined;

  /** @internal Use `S3Fs.open`. */
  constructor(config: S3FileConfig, path: Path, open: NormalizedOpenOptions, head: ObjectHead | undefined) {
    this.#config = config;
    this.path = path;
    this.#open = open;
    this.#head = head;
  }

  #context(op: string): ErrorContext {
    return { op, path: this.path.raw, backend: "s3" };
  }

  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    throwIfAborted(options?.signal, context);
    if (this.#closed) throw new FusioError("Closed", "the file is closed", context);
    if (access !== undefined && !this.#open[access]) {
      throw new FusioError("PermissionDenied", `the file was not opened for ${access}ing`, context);
    }
    return context;
  }

  /** Bytes already in the object that this handle keeps (0 when truncating). */
  get #baseSize(): number {
    return this.#open.truncate ? 0 : (this.#head?.size ?? 0);
  }

  /** The existing object is spliced in server-side instead of re-uploaded. */
  get #splice(): boolean {
    return this.#open.append && this.#head !== undefined && this.#head.size >= this.#copyPart;
  }

  /** Size of the parts an append copies: up to 5 GiB, or exactly `partSize` under `compat.equalParts`. */
  get #copyPart(): number {
    return this.#config.client.compat.equalParts ? this.#config.partSize : MIN_PART_SIZE;
  }

  /** Where the copied parts end: the rest of the old object is re-uploaded (`compat.equalParts`). */
  get #copiedEnd(): number {
    const size = this.#head?.size ?? 0;
    return this.#config.client.compat.equalParts ? size - (size % this.#config.partSize) : size;
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
    await readRangeInto(this.#config.client, this.path.raw, buf, pos, context, options?.signal);
    return buf;
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    this.#check("readToEndAt", "read", options);
    // The size is known from the HEAD at open: reading from the end needs no (failing) request.
    if (this.#head !== undefined && pos === this.#head.size) return new Uint8Array(0);
    return readFrom(this.#config.client, this.path.raw, pos, context, options?.signal);
  }

  /** The stored object's size as of open (0 when it did not exist). */
  #storedSize(): number {
    return this.#head?.size ?? 0;
  }

  async size(options?: CallOptions): Promise<number> {
    this.#check("size", undefined, options);
    return this.#open.write ? this.#baseSize + this.#written : this.#storedSize();
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    try {
      const context = this.#context("writeAll");
      checkBytes(data, "data", context);
      this.#check("writeAll", "write", options);
      this.#throwIfFailed();
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    const run = this.#chain.then(async () => {
      this.#throwIfFailed();
      if (data.length === 0) return;
      const scheduler = await this.#ensureScheduler(signal);
      try {
        await scheduler.write(data, signal);
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
    await this.#scheduler?.drain(options?.signal);
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
      if (this.#open.append && this.#head !== undefined && this.#written === 0) return;
      const scheduler = await this.#ensureScheduler(signal);
      if (!this.#splice && scheduler.partsStarted === 0) {
        await putObject(this.#config.client, this.path.raw, scheduler.takeBuffered(), {
          headers: this.#rewriteHeaders(),
          context,
          signal,
        });
        return;
      }
      const parts = await scheduler.finish(signal);
      const { upload, copied } = await this.#ensureUpload(signal);
      await upload.complete([...copied, ...parts], context, signal);
      this.#config.onProgress?.({ loaded: this.#written, path: this.path.raw });
    } catch (error) {
      await this.#discard(error);
      throw FusioError.is(error, "Aborted") || !signal?.aborted ? error : new FusioError("Aborted", "aborted", context);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Headers that keep the object's type, metadata, encryption and class when it is rewritten. */
  #rewriteHeaders(): Record<string, string> {
    if (this.#open.truncate || this.#head === undefined) return {};
    const headers: Record<string, string> = { ...this.#head.preserved };
    // A re-upload of a small append must not race another writer: guard it with the old ETag.
    headers["if-match"] = ifMatchValue(this.#config.client, this.#head.etag);
    return headers;
  }

  async #ensureScheduler(signal: AbortSignal | CallOptions["signal"]): Promise<PartScheduler<string>> {
    if (this.#scheduler === undefined) {
      const context = this.#context("writeAll");
      this.#scheduler = new PartScheduler<string>({
        partSize: this.#config.partSize,
        concurrency: this.#config.concurrency,
        context,
        uploadPart: async ({ number, data, signal: partSignal }) => {
          const { upload, copied } = await this.#ensureUpload(undefined);
          return upload.uploadPart(copied.length + number, data, context, partSignal);
        },
        onProgress: this.#config.onProgress && ((loaded) => this.#config.onProgress?.({ loaded, path: this.path.raw })),
      });
    }
    const scheduler = this.#scheduler;
    if (!this.#prefixLoaded) {
      this.#prefixLoaded = true;
      const head = this.#head;
      const from = this.#splice ? this.#copiedEnd : 0;
      if (this.#open.append && head !== undefined && head.size > from) {
        // Small objects cannot be a copied part (< 5 MiB): download and re-upload them. Under
        // `compat.equalParts` the same goes for the old object's last partial part.
        const context = this.#context("writeAll");
        const prefix = await readFrom(this.#config.client, this.path.raw, from, context, signal);
        if (prefix.length !== head.size - from) {
          throw new FusioError("PreconditionFailed", "the object changed since it was opened", context);
        }
        await scheduler.write(prefix, signal);
      }
    }
    return scheduler;
  }

  /** Creates the multipart upload once; when splicing, copies the old object in as the first parts. */
  #ensureUpload(signal: CallOptions["signal"]): Promise<{ upload: MultipartUpload; copied: string[] }> {
    this.#upload ??= (async () => {
      const context = this.#context("close");
      const upload = await MultipartUpload.create(
        this.#config.client,
        this.path.raw,
        this.#open.append ? { ...this.#head?.preserved } : {},
        context,
        signal,
      );
      const head = this.#head;
      if (!this.#splice || head === undefined) return { upload, copied: [] };
      try {
        const ranges: Array<[number, number]> = [];
        const step = this.#config.client.compat.equalParts ? this.#config.partSize : MAX_COPY_PART;
        const end = this.#copiedEnd;
        for (let start = 0; start < end; start += step) {
          ranges.push([start, Math.min(end, start + step) - 1]);
        }
        const copied = await Promise.all(
          ranges.map((range, i) => upload.uploadPartCopy(i + 1, this.path.raw, range, head.etag, context, signal)),
        );
        return { upload, copied };
      } catch (error) {
        await upload.abort(context).catch(() => undefined);
        throw error;
      }
    })();
    return this.#upload;
  }

  /** After a failure: stop part uploads and abort the multipart upload so nothing is left behind. */
  async #discard(error: unknown): Promise<void> {
    this.#failure ??= error;
    await this.#scheduler?.abort(error);
    if (this.#upload !== undefined) {
      const created = await this.#upload.catch(() => undefined);
      await created?.upload.abort(this.#context("close")).catch(() => undefined);
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
