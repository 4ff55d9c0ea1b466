import { type AbortSignalLike, abortError, type ErrorContext, FusioError } from "@fusio/core";

/** One part handed to {@link PartSchedulerOptions.uploadPart}. */
export interface PartUpload {
  /** 1-based part number, in write order. */
  readonly number: number;
  /**
   * The part's bytes: a scheduler buffer, or a view of the caller's bytes (see
   * {@link PartScheduler.write}). Valid until the returned promise settles, then reused.
   */
  readonly data: Uint8Array;
  /** Fires when the scheduler is aborted (another part failed, or {@link PartScheduler.abort}). */
  readonly signal: AbortSignal;
}

/** Options of {@link PartScheduler}. */
export interface PartSchedulerOptions<T> {
  /** Bytes per part; every part but the last has exactly this size. */
  partSize: number;
  /** Parts uploading at the same time, at most. */
  concurrency: number;
  /** Uploads one part (with its own retries) and resolves to what completion needs (e.g. the ETag). */
  uploadPart(part: PartUpload): Promise<T>;
  /** Called after each part is uploaded with the total bytes uploaded so far. */
  onProgress?: ((uploaded: number) => void) | undefined;
  /** What errors raised by the scheduler itself name. */
  context: ErrorContext;
}

/**
 * The part/block upload scheduler of S3, R2 and Azure writers. Bytes written are copied into a
 * part buffer; each full buffer becomes a part upload. At most `concurrency` parts are in
 * flight: a `write` that fills a buffer while all slots are busy waits (back-pressure), so
 * memory stays within about `partSize x (concurrency + 1)` whatever the object size. Buffers
 * are recycled. A write of more whole parts than can be in flight sends them straight from
 * the caller's bytes, uncopied (see {@link write}). The first failure aborts the
 * other uploads and is rethrown by every later call, and so does a write that fails or is
 * aborted after taking some of its bytes: an upload never goes on with part of a write.
 * Results come back in part order.
 *
 * Typical writer: `write()` from `writeAll`; at close, if {@link partsStarted} is 0, send
 * {@link takeBuffered} as one small PUT; otherwise `await finish()` and complete the upload
 * with its results, and on any failure `await abort()` and abort the upload server-side.
 */
export class PartScheduler<T> {
  readonly #options: PartSchedulerOptions<T>;
  readonly #controller = new AbortController();
  readonly #results: T[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #free: Uint8Array[] = [];
  #buffer: Uint8Array = new Uint8Array(0);
  #filled = 0;
  #parts = 0;
  #uploaded = 0;
  #failure: unknown;
  #queue: Promise<void> = Promise.resolve();
  #slotWaiters: Array<() => void> = [];

  constructor(options: PartSchedulerOptions<T>) {
    if (!Number.isSafeInteger(options.partSize) || options.partSize < 1) {
      throw new FusioError("InvalidArgument", "partSize must be a positive integer", options.context);
    }
    if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) {
      throw new FusioError("InvalidArgument", "concurrency must be a positive integer", options.context);
    }
    this.#options = options;
  }

  /** Parts handed to `uploadPart` so far. */
  get partsStarted(): number {
    return this.#parts;
  }

  /** Bytes written but not yet handed to a part. */
  get buffered(): number {
    return this.#filled;
  }

  /** Parts uploading right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Copies `data` into part buffers, starting an upload for each full one. Resolves once the
   * bytes are buffered (the caller may reuse `data`), waiting for a free slot when needed.
   * Calls are applied in order even when not awaited.
   *
   * When `data` holds more than `concurrency` whole parts, every whole part of it (past what
   * completes a part already buffered) is uploaded from a view of `data` instead of a copy, and
   * the write resolves once they are all stored: a large buffer goes up without being copied,
   * as a hand-written upload would send it. Only the tail under a part is copied. (Uploads then
   * pause between two such writes; a stream of writes under `(concurrency + 1) x partSize`
   * each is copied part by part and keeps `concurrency` parts in flight throughout.)
   */
  write(data: Uint8Array, signal?: AbortSignalLike): Promise<void> {
    const run = this.#queue.then(() => this.#write(data, signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Waits until every full part written so far is uploaded (the tail under `partSize` stays
   * buffered). Rejects with the first upload failure.
   */
  async drain(signal?: AbortSignalLike): Promise<void> {
    await this.#queue;
    while (this.#inFlight.size > 0) await this.#race([...this.#inFlight], signal);
    this.#throwIfFailed();
  }

  /**
   * Uploads what is buffered as the last part (when anything is, or when no part was started),
   * waits for all parts and resolves to their results in part order.
   */
  async finish(signal?: AbortSignalLike): Promise<T[]> {
    await this.#queue;
    this.#throwIfFailed();
    if (this.#filled > 0 || this.#parts === 0) {
      await this.#waitForSlot(signal);
      this.#start();
    }
    await this.drain(signal);
    return this.#results.slice();
  }

  /**
   * Hands back the buffered bytes (a copy-free view) and forgets them; for writers that send a
   * small object as one request instead of parts. Throws the failure of a failed upload.
   */
  takeBuffered(): Uint8Array {
    this.#throwIfFailed();
    const out = this.#buffer.subarray(0, this.#filled);
    this.#buffer = new Uint8Array(0);
    this.#filled = 0;
    return out;
  }

  /** Aborts the uploads in flight and waits until they have settled. Later calls reject. */
  async abort(reason?: unknown): Promise<void> {
    this.#failure ??= reason ?? new FusioError("Aborted", "the upload was aborted", this.#options.context);
    this.#controller.abort(this.#failure);
    for (const wake of this.#slotWaiters.splice(0)) wake();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #write(data: Uint8Array, signal: AbortSignalLike | undefined): Promise<void> {
    const { partSize, concurrency } = this.#options;
    const lent: Promise<void>[] = [];
    const lends = data.length >= (concurrency + 1) * partSize;
    let offset = 0;
    try {
      while (offset < data.length) {
        this.#throwIfFailed();
        if (signal?.aborted) throw abortError(signal, this.#options.context);
        if (this.#filled === partSize) {
          await this.#waitForSlot(signal);
          this.#start();
          continue;
        }
        if (lends && this.#filled === 0 && data.length - offset >= partSize) {
          await this.#waitForSlot(signal);
          lent.push(this.#start(data.subarray(offset, offset + partSize)));
          offset += partSize;
          continue;
        }
        const take = Math.min(partSize - this.#filled, data.length - offset);
        this.#ensureCapacity(this.#filled + take);
        this.#buffer.set(data.subarray(offset, offset + take), this.#filled);
        this.#filled += take;
        offset += take;
      }
      // Settles without rejecting: a failed part is this.#failure.
      await Promise.all(lent);
      this.#throwIfFailed();
    } catch (error) {
      // Part of `data` is buffered or uploading: fail the upload rather than go on without the
      // rest. Waits for the parts that read `data`, since the caller may reuse it once this rejects.
      if (offset > 0) await this.abort(error);
      throw error;
    }
    // A full buffer is sent at once rather than at the next write, so uploads overlap writing.
    if (this.#filled === partSize && this.#inFlight.size < concurrency) this.#start();
  }

  #ensureCapacity(needed: number): void {
    if (needed <= this.#buffer.length) return;
    const { partSize } = this.#options;
    // Small objects never allocate a whole part: grow geometrically, or reuse a recycled
    // full-size buffer. Once the object is known to be large (a part was started), or a step
    // would take more than half a part anyway, take the whole part: no step that is copied
    // again at the next one.
    const step = Math.max(needed, this.#buffer.length * 2, 64 * 1024);
    const next = this.#free.pop() ?? new Uint8Array(this.#parts > 0 || step * 2 > partSize ? partSize : step);
    next.set(this.#buffer.subarray(0, this.#filled));
    this.#buffer = next;
  }

  /** Starts the next part: the buffered bytes, or `lent` (a view of the caller's bytes, never recycled). */
  #start(lent?: Uint8Array): Promise<void> {
    const number = ++this.#parts;
    const full = lent ?? this.#buffer;
    const data = lent ?? full.subarray(0, this.#filled);
    if (lent === undefined) {
      this.#buffer = this.#free.pop() ?? new Uint8Array(0);
      this.#filled = 0;
    }
    const { partSize, concurrency } = this.#options;
    const upload = this.#options
      .uploadPart({ number, data, signal: this.#controller.signal })
      .then(
        (result) => {
          this.#results[number - 1] = result;
          this.#uploaded += data.length;
          this.#options.onProgress?.(this.#uploaded);
        },
        (error: unknown) => {
          if (this.#failure === undefined) {
            this.#failure = error;
            this.#controller.abort(error);
          }
        },
      )
      .finally(() => {
        this.#inFlight.delete(upload);
        if (lent === undefined && full.length === partSize && this.#free.length < concurrency) this.#free.push(full);
        this.#slotWaiters.shift()?.();
      });
    this.#inFlight.add(upload);
    return upload;
  }

  async #waitForSlot(signal: AbortSignalLike | undefined): Promise<void> {
    while (this.#inFlight.size >= this.#options.concurrency) {
      this.#throwIfFailed();
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(abortError(signal, this.#options.context));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#slotWaiters.push(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    }
    this.#throwIfFailed();
  }

  async #race(promises: Promise<void>[], signal: AbortSignalLike | undefined): Promise<void> {
    if (signal === undefined) {
      await Promise.race(promises);
      return;
    }
    if (signal.aborted) throw abortError(signal, this.#options.context);
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal, this.#options.context));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([...promises, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
