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
import { concatBytes, readBodyInto } from "@fusio/http";
import type { BlockWriter, ExistingBlob } from "./block-writer.ts";
import { type BlobClient, drain, errorContext, extras } from "./internal/client.ts";

/** @internal What `AzureBlobFs.open` learned and decided. */
export interface FileState {
  readonly client: BlobClient;
  readonly blockSize: number;
  readonly concurrency: number;
  readonly onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
  readonly options: NormalizedOpenOptions;
  /** The blob's size at open (0 when missing or truncated). */
  readonly size: number;
  /** The blob an append continues; undefined when there is nothing to keep. */
  readonly existing?: ExistingBlob | undefined;
  /** Publish at close even without writes (create of a missing blob, truncate). */
  readonly publish: boolean;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * A blob opened by `AzureBlobFs`. Reads are ranged Get Blob requests straight into the
 * caller's buffer; writes are buffered and published at `close` (an object store has no
 * visible partial state: `visibleBeforeClose` is off): one Put Blob while they stay under the
 * block size, else blocks staged as they fill (bounded in flight) and one Put Block List.
 */
export class AzureBlobFile implements File {
  readonly path: Path;
  readonly #state: FileState;
  /** Bytes written while no block is staged (copies), published by one Put Blob at close. */
  #small: Uint8Array[] = [];
  /** The block writer, once the bytes reach a block (or an append needs one). */
  #writer: Promise<BlockWriter> | undefined;
  #written = 0;
  #closed = false;

  /** @internal Use `AzureBlobFs.open`. */
  constructor(path: Path, state: FileState) {
    this.path = path;
    this.#state = state;
  }

  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = errorContext(op, this.path);
    throwIfAborted(options?.signal, context);
    if (this.#closed) throw new FusioError("Closed", "the file is closed", context);
    if (access !== undefined && !this.#state.options[access]) {
      throw new FusioError("PermissionDenied", `the file was not opened for ${access}ing`, context);
    }
    return context;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = errorContext("readExactAt", this.path);
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    this.#check("readExactAt", "read", options);
    if (buf.length === 0) {
      if (pos > this.#state.size) throw new FusioError("UnexpectedEof", `position ${pos} is past the end`, context);
      return buf;
    }
    const key = this.path.raw;
    const last = pos + buf.length - 1;
    return this.#state.client.send(
      { method: "GET", key, headers: { "x-ms-range": `bytes=${pos}-${last}` } },
      { op: "readExactAt", path: key, signal: options?.signal, idempotent: true },
      async (response) => {
        const range = CONTENT_RANGE.exec(response.headers.get("content-range") ?? "");
        let error: FusioError | undefined;
        if (response.status !== 206 || range === null || Number(range[1]) !== pos) {
          error = new FusioError("Remote", `the server did not answer the range with 206 (got ${response.status})`, {
            ...context,
            status: response.status,
          });
        } else if (Number(range[2]) < last) {
          error = new FusioError(
            "UnexpectedEof",
            `read of ${buf.length} bytes at ${pos} passes the end (${range[3]})`,
            context,
          );
        }
        if (error !== undefined) {
          await drain(response.body);
          throw error;
        }
        const filled = await readBodyInto(response.body, buf, context);
        if (filled !== buf.length) {
          throw new FusioError("Io", `the response body ended after ${filled} of ${buf.length} bytes`, {
            ...context,
            retryable: true,
          });
        }
        return buf;
      },
    );
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    checkPosition(pos, "pos", errorContext("readToEndAt", this.path));
    this.#check("readToEndAt", "read", options);
    const signal = options?.signal;
    return (await extras()).readToEnd(this.#state.client, this.path.raw, pos, signal, () => this.#remoteSize(signal));
  }

  async size(options?: CallOptions): Promise<number> {
    this.#check("size", undefined, options);
    if (this.#state.options.write) return this.#state.size + this.#written;
    return this.#remoteSize(options?.signal);
  }

  async #remoteSize(signal: CallOptions["signal"]): Promise<number> {
    const key = this.path.raw;
    const response = await this.#state.client.call(
      { method: "HEAD", key },
      { op: "size", path: key, signal, idempotent: true },
    );
    return Number(response.headers.get("content-length") ?? 0);
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    checkBytes(data, "data", errorContext("writeAll", this.path));
    this.#check("writeAll", "write", options);
    const state = this.#state;
    // Decided synchronously so that calls made without awaiting stay in order.
    if (this.#writer === undefined && state.existing === undefined && this.#written + data.length < state.blockSize) {
      this.#small.push(data.slice());
      this.#written += data.length;
      return;
    }
    this.#writer ??= this.#startBlocks();
    await (await this.#writer).write(data, options?.signal);
    this.#written += data.length;
  }

  /** Loads the block writer and hands it what is buffered so far. */
  async #startBlocks(): Promise<BlockWriter> {
    const { client, blockSize, concurrency, existing, onProgress } = this.#state;
    const key = this.path.raw;
    const { BlockWriter } = await extras();
    const writer = new BlockWriter({
      client,
      key,
      blockSize,
      concurrency,
      existing,
      onProgress: onProgress && ((loaded) => onProgress({ loaded, path: key })),
    });
    const small = this.#small;
    this.#small = [];
    if (small.length > 0) await writer.write(concatBytes(small));
    return writer;
  }

  async flush(options?: CallOptions): Promise<void> {
    // Full blocks are already on their way; the tail stays buffered until close.
    this.#check("flush", undefined, options);
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = this.#check("sync", undefined, options);
    throw new FusioError("Unsupported", "a blob is durable only once it is published at close", context);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const signal = options?.signal;
    const pending = this.#writer;
    const writer = pending === undefined ? undefined : await pending.catch(() => undefined);
    if (signal?.aborted) {
      // Discard: staged blocks are never committed (the service drops them after a week).
      await writer?.abort(signal.reason);
      throwIfAborted(signal, errorContext("close", this.path));
    }
    const { client, onProgress } = this.#state;
    const key = this.path.raw;
    if (pending === undefined) {
      if (this.#small.length === 0 && !this.#state.publish) return;
      await client.call(
        {
          method: "PUT",
          key,
          headers: { "x-ms-blob-type": "BlockBlob" },
          body: this.#small.length === 1 ? this.#small[0] : concatBytes(this.#small),
        },
        { op: "Put Blob", path: key, signal, idempotent: true },
      );
    } else {
      // A writer that failed to start rethrows its failure here.
      const active = writer ?? (await pending);
      try {
        await active.commit(signal);
      } catch (error) {
        await active.abort(error);
        throw error;
      }
    }
    onProgress?.({ loaded: this.#written, path: key });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
