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
import { collectBody, readBodyInto } from "@fusio/http";
import { BlockWriter, type ExistingBlob } from "./block-writer.ts";
import { type BlobClient, drain } from "./internal/client.ts";

/** @internal What `AzureBlobFs.open` learned and decided. */
export interface FileState {
  readonly client: BlobClient;
  readonly blockSize: number;
  readonly concurrency: number;
  readonly options: NormalizedOpenOptions;
  /** The blob's size at open (0 when missing or truncated). */
  readonly size: number;
  /** The blob an append continues; undefined when there is nothing to keep. */
  readonly existing: ExistingBlob | undefined;
  /** Publish at close even without writes (create of a missing blob, truncate). */
  readonly publish: boolean;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * A blob opened by `AzureBlobFs`. Reads are ranged Get Blob requests straight into the
 * caller's buffer; writes are buffered into blocks and published at `close` (an object store
 * has no visible partial state: `visibleBeforeClose` is off).
 */
export class AzureBlobFile implements File {
  readonly path: Path;
  readonly #state: FileState;
  #writer: BlockWriter | undefined;
  #written = 0;
  #closed = false;

  /** @internal Use `AzureBlobFs.open`. */
  constructor(path: Path, state: FileState) {
    this.path = path;
    this.#state = state;
  }

  #context(op: string): ErrorContext {
    return { op, path: this.path.raw, backend: "azure" };
  }

  #check(op: string, access: "read" | "write" | undefined, options: CallOptions | undefined): ErrorContext {
    const context = this.#context(op);
    throwIfAborted(options?.signal, context);
    if (this.#closed) throw new FusioError("Closed", "the file is closed", context);
    if (access !== undefined && !this.#state.options[access]) {
      throw new FusioError("PermissionDenied", `the file was not opened for ${access}ing`, context);
    }
    return context;
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = this.#context("readExactAt");
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
        if (response.status !== 206 || range === null || Number(range[1]) !== pos) {
          await drain(response.body);
          throw new FusioError("Remote", `the server did not answer the range with 206 (got ${response.status})`, {
            ...context,
            status: response.status,
          });
        }
        if (Number(range[2]) < last) {
          await drain(response.body);
          throw new FusioError(
            "UnexpectedEof",
            `read of ${buf.length} bytes at ${pos} passes the end (${range[3]})`,
            context,
          );
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
    const context = this.#context("readToEndAt");
    checkPosition(pos, "pos", context);
    this.#check("readToEndAt", "read", options);
    const key = this.path.raw;
    const signal = options?.signal;
    // Without a range an empty blob reads fine; a range at the end is unsatisfiable (416).
    const headers: Record<string, string> = pos === 0 ? {} : { "x-ms-range": `bytes=${pos}-` };
    try {
      return await this.#state.client.send(
        { method: "GET", key, headers },
        { op: "readToEndAt", path: key, signal, idempotent: true },
        async (response) => {
          const length = Number(response.headers.get("content-length") ?? Number.NaN);
          const data = await collectBody(response.body, Number.isSafeInteger(length) ? length : undefined);
          if (Number.isSafeInteger(length) && data.length !== length) {
            throw new FusioError("Io", `the response body ended after ${data.length} of ${length} bytes`, {
              ...context,
              retryable: true,
            });
          }
          return data;
        },
      );
    } catch (error) {
      if (!FusioError.is(error, "UnexpectedEof")) throw error;
      // 416: `pos` is at or past the end; at the end is an empty read.
      if ((await this.#remoteSize(signal)) === pos) return new Uint8Array(0);
      throw error;
    }
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
    checkBytes(data, "data", this.#context("writeAll"));
    this.#check("writeAll", "write", options);
    // Created synchronously so that calls made without awaiting stay in order.
    this.#writer ??= new BlockWriter({
      client: this.#state.client,
      key: this.path.raw,
      blockSize: this.#state.blockSize,
      concurrency: this.#state.concurrency,
      existing: this.#state.existing,
    });
    await this.#writer.write(data, options?.signal);
    this.#written += data.length;
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
    const context = this.#context("close");
    const signal = options?.signal;
    const writer = this.#writer;
    if (signal?.aborted) {
      // Discard: staged blocks are never committed (the service drops them after a week).
      await writer?.abort(signal.reason);
      throwIfAborted(signal, context);
    }
    if (writer === undefined && !this.#state.publish) return;
    const active =
      writer ??
      new BlockWriter({
        client: this.#state.client,
        key: this.path.raw,
        blockSize: this.#state.blockSize,
        concurrency: this.#state.concurrency,
        existing: undefined,
      });
    try {
      await active.commit(signal);
    } catch (error) {
      await active.abort(error);
      throw error;
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
