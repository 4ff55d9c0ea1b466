import { type AbortSignalLike, abortError, type ErrorContext, FusioError } from "@fusio/core";
import type {
  R2BucketLike,
  R2ConditionalLike,
  R2HttpMetadataLike,
  R2MultipartUploadLike,
  R2ObjectLike,
  R2UploadedPartLike,
} from "../binding.ts";
import { fromR2Error } from "./errors.ts";

/** What one upload needs to know. */
export interface MultipartWriterOptions {
  bucket: R2BucketLike;
  key: string;
  /** Every part but the last has exactly this size (R2 rejects unequal parts). */
  partSize: number;
  /** Parts uploading at once; memory stays below `partSize * (concurrency + 1)`. */
  concurrency: number;
  /** Guards the single put of a small object. A multipart completion cannot be guarded on R2. */
  onlyIf?: R2ConditionalLike | undefined;
  httpMetadata?: R2HttpMetadataLike | undefined;
  customMetadata?: Record<string, string> | undefined;
  context: ErrorContext;
  /** Bytes stored so far (parts uploaded, then the whole object once published). */
  onProgress?: ((loaded: number) => void) | undefined;
}

/**
 * Streams bytes into one object: a single `put` when everything fits in one part, otherwise a
 * multipart upload with equal-size parts and bounded concurrency. Nothing is visible until
 * {@link finish}; {@link abort} (or any failure followed by abort) publishes nothing.
 */
export class MultipartWriter {
  readonly #options: MultipartWriterOptions;
  #buffer: Uint8Array = new Uint8Array(0);
  #filled = 0;
  #upload: Promise<R2MultipartUploadLike> | undefined;
  readonly #parts: R2UploadedPartLike[] = [];
  readonly #inflight = new Set<Promise<void>>();
  #failure: FusioError | undefined;
  #done = false;
  /** Bytes accepted so far. */
  written = 0;
  #uploaded = 0;

  constructor(options: MultipartWriterOptions) {
    this.#options = options;
  }

  /** The first failure, once the upload can no longer succeed. */
  get failure(): FusioError | undefined {
    return this.#failure;
  }

  /** Copies `data` in; uploads every part that fills up. Waits while `concurrency` parts are in flight. */
  async write(data: Uint8Array, signal?: AbortSignalLike): Promise<void> {
    const { partSize } = this.#options;
    let offset = 0;
    while (offset < data.length) {
      this.#throwIfFailed();
      if (this.#buffer.length < partSize && this.#filled + (data.length - offset) > this.#buffer.length) {
        // Grow geometrically up to one part, so small files never hold a whole part of memory;
        // once a multipart upload runs, every buffer is a whole part from the start.
        const size =
          this.#upload === undefined
            ? Math.max(this.#filled + data.length - offset, this.#buffer.length * 2, 64)
            : partSize;
        const grown = new Uint8Array(Math.min(partSize, size));
        grown.set(this.#buffer.subarray(0, this.#filled));
        this.#buffer = grown;
      }
      const count = Math.min(data.length - offset, partSize - this.#filled);
      this.#buffer.set(data.subarray(offset, offset + count), this.#filled);
      this.#filled += count;
      offset += count;
      this.written += count;
      if (this.#filled === partSize) await this.#submit(signal);
    }
  }

  /** Publishes the object and resolves to it. */
  async finish(signal?: AbortSignalLike): Promise<R2ObjectLike> {
    this.#throwIfFailed();
    const { bucket, key, onlyIf, httpMetadata, customMetadata, context } = this.#options;
    if (this.#upload === undefined) {
      const body = this.#buffer.subarray(0, this.#filled);
      if (signal?.aborted) throw this.#fail(abortError(signal, context));
      let stored: R2ObjectLike | null;
      try {
        stored = await bucket.put(key, body, withDefined({ onlyIf, httpMetadata, customMetadata }));
      } catch (error) {
        throw this.#fail(fromR2Error(error, context));
      }
      this.#done = true;
      if (stored === null) {
        throw new FusioError("PreconditionFailed", "the object changed while this file was open", context);
      }
      this.#options.onProgress?.(body.length);
      return stored;
    }
    if (this.#filled > 0) await this.#submit(signal);
    await this.#settle(signal);
    this.#throwIfFailed();
    const upload = await this.#upload;
    try {
      const stored = await upload.complete(this.#parts);
      this.#done = true;
      if (this.#uploaded !== this.written) this.#options.onProgress?.(this.written);
      return stored;
    } catch (error) {
      throw this.#fail(fromR2Error(error, context));
    }
  }

  /** Gives up: waits for parts in flight, then aborts the multipart upload on the server. */
  async abort(reason?: FusioError): Promise<void> {
    if (reason) this.#fail(reason);
    if (this.#done) return;
    this.#done = true;
    this.#failure ??= new FusioError("Aborted", "the upload was abandoned", this.#options.context);
    await Promise.allSettled(this.#inflight);
    if (this.#upload === undefined) return;
    try {
      await (await this.#upload).abort();
    } catch {
      // The upload failed to start, or is gone already; R2 also expires abandoned uploads.
    }
  }

  async #submit(signal: AbortSignalLike | undefined): Promise<void> {
    const { bucket, key, httpMetadata, customMetadata, concurrency, context } = this.#options;
    const body = this.#buffer.subarray(0, this.#filled);
    this.#buffer = new Uint8Array(0);
    this.#filled = 0;
    this.#upload ??= bucket.createMultipartUpload(key, withDefined({ httpMetadata, customMetadata }));
    let upload: R2MultipartUploadLike;
    try {
      upload = await this.#upload;
    } catch (error) {
      throw this.#fail(fromR2Error(error, context));
    }
    while (this.#inflight.size >= concurrency) await this.#race(signal);
    this.#throwIfFailed();
    const partNumber = this.#parts.length + 1;
    // Reserve the slot now so part numbers stay in order whatever finishes first.
    this.#parts.push({ partNumber, etag: "" });
    const task: Promise<void> = upload.uploadPart(partNumber, body).then(
      (uploaded) => {
        this.#parts[partNumber - 1] = { partNumber: uploaded.partNumber, etag: uploaded.etag };
        this.#uploaded += body.length;
        this.#options.onProgress?.(this.#uploaded);
      },
      (error: unknown) => {
        this.#fail(fromR2Error(error, { ...context, op: `${context.op} (part ${partNumber})` }));
      },
    );
    this.#inflight.add(task);
    void task.finally(() => this.#inflight.delete(task));
  }

  async #settle(signal: AbortSignalLike | undefined): Promise<void> {
    while (this.#inflight.size > 0) await this.#race(signal);
  }

  /** Waits until one part in flight settles, or the signal fires (which fails the upload). */
  async #race(signal: AbortSignalLike | undefined): Promise<void> {
    const context = this.#options.context;
    if (signal?.aborted) throw this.#fail(abortError(signal, context));
    if (signal === undefined) {
      await Promise.race(this.#inflight);
      return;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<"aborted">((resolve) => {
      onAbort = () => resolve("aborted");
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      if ((await Promise.race([aborted, ...this.#inflight])) === "aborted") {
        throw this.#fail(abortError(signal, context));
      }
    } finally {
      signal.removeEventListener("abort", onAbort as () => void);
    }
  }

  #fail(error: FusioError): FusioError {
    this.#failure ??= error;
    return error;
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }
}

/** Drops undefined members: the binding's option objects reject `undefined` values in places. */
export function withDefined<T extends object>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) if (value !== undefined) out[name] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
