import {
  type CallOptions,
  checkBytes,
  checkFileCall,
  checkPosition,
  type File,
  type FileCallState,
  FusioError,
  fileContext,
  type NormalizedOpenOptions,
  type Path,
  type SyncLevel,
  throwIfAborted,
} from "@fusio/core";
import { concatBytes, readBodyInto } from "@fusio/http/body";
import type { ExistingBlob } from "./internal/blob-properties.ts";
import type { BlockWriter } from "./internal/block-writer.ts";
import { type BlobClient, blobSize } from "./internal/client.ts";
import { lazy } from "./internal/lazy.ts";
import { checkRange, readToEnd, shortBody } from "./internal/read.ts";

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

/** Block uploads (and an append's splice) load once a file's bytes reach a block, or at an append's first write. */
const loadBlockWriter = lazy(() => import("./internal/block-writer.ts"));

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

  /** What `checkFileCall` looks at. */
  get #call(): FileCallState {
    return { closed: this.#closed, open: this.#state.options };
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const context = fileContext("azure", "readExactAt", this.path);
    checkBytes(buf, "buf", context);
    checkPosition(pos, "pos", context);
    checkFileCall(this.#call, "read", options?.signal, context);
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
        await checkRange(response, pos, buf.length, context);
        const filled = await readBodyInto(response.body, buf, context);
        if (filled !== buf.length) throw shortBody(filled, buf.length, context);
        return buf;
      },
    );
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const context = fileContext("azure", "readToEndAt", this.path);
    checkPosition(pos, "pos", context);
    checkFileCall(this.#call, "read", options?.signal, context);
    return readToEnd(this.#state.client, this.path.raw, pos, options?.signal);
  }

  async size(options?: CallOptions): Promise<number> {
    checkFileCall(this.#call, undefined, options?.signal, fileContext("azure", "size", this.path));
    const state = this.#state;
    if (state.options.write) return state.size + this.#written;
    return blobSize(state.client, this.path.raw, "size", options?.signal);
  }

  async writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const context = fileContext("azure", "writeAll", this.path);
    checkBytes(data, "data", context);
    checkFileCall(this.#call, "write", options?.signal, context);
    const state = this.#state;
    // Decided synchronously so that calls made without awaiting stay in order.
    if (this.#writer === undefined && state.existing === undefined && this.#written + data.length < state.blockSize) {
      this.#small.push(data.slice());
      this.#written += data.length;
      return;
    }
    if (this.#writer === undefined) {
      // The block writer (loaded now) takes over what is buffered so far.
      const buffered = this.#small;
      this.#small = [];
      this.#writer = this.#startBlocks(buffered);
    }
    await (await this.#writer).write(data, options?.signal);
    this.#written += data.length;
  }

  async flush(options?: CallOptions): Promise<void> {
    // Full blocks are already on their way; the tail stays buffered until close.
    checkFileCall(this.#call, undefined, options?.signal, fileContext("azure", "flush", this.path));
  }

  async sync(_level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const context = fileContext("azure", "sync", this.path);
    checkFileCall(this.#call, undefined, options?.signal, context);
    throw new FusioError("Unsupported", "a blob is durable only once it is published at close", context);
  }

  async close(options?: CallOptions): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const signal = options?.signal;
    const context = fileContext("azure", "close", this.path);
    const { client, onProgress, publish } = this.#state;
    const key = this.path.raw;
    if (this.#writer !== undefined) {
      // A writer that failed to start rethrows its failure here, unless the caller aborted.
      const writer = await this.#writer.catch((error: unknown) => {
        throwIfAborted(signal, context);
        throw error;
      });
      await writer.close(signal, context);
    } else {
      // An abort discards what is buffered.
      throwIfAborted(signal, context);
      if (this.#small.length === 0 && !publish) return;
      await client.call(
        {
          method: "PUT",
          key,
          headers: { "x-ms-blob-type": "BlockBlob" },
          body: this.#small.length === 1 ? this.#small[0] : concatBytes(this.#small),
        },
        { op: "Put Blob", path: key, signal, idempotent: true },
      );
    }
    onProgress?.({ loaded: this.#written, path: key });
  }

  /** The block writer that takes over once the bytes reach a block, fed what was buffered so far. */
  async #startBlocks(buffered: Uint8Array[]): Promise<BlockWriter> {
    const { client, blockSize, concurrency, existing, onProgress } = this.#state;
    const key = this.path.raw;
    const { BlockWriter } = await loadBlockWriter();
    const writer = new BlockWriter({
      client,
      key,
      blockSize,
      concurrency,
      existing,
      onProgress: onProgress && ((loaded) => onProgress({ loaded, path: key })),
    });
    if (buffered.length > 0) await writer.write(concatBytes(buffered));
    return writer;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
