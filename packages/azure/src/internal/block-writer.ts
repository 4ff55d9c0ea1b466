// Block uploads: https://learn.microsoft.com/rest/api/storageservices/put-block-list
import { type AbortSignalLike, type ErrorContext, throwIfAborted } from "@fusio/core";
import { PartScheduler } from "@fusio/http/part-scheduler";
import { spliceExisting } from "./append-splice.ts";
import { type ExistingBlob, propertyHeaders } from "./blob-properties.ts";
import type { BlobClient } from "./client.ts";

export interface BlockWriterOptions {
  readonly client: BlobClient;
  readonly key: string;
  readonly blockSize: number;
  readonly concurrency: number;
  /** Set for an append: its bytes are spliced in server-side before the new ones. */
  readonly existing?: ExistingBlob | undefined;
  /** Called after each staged block with the bytes staged so far. */
  readonly onProgress?: ((loaded: number) => void) | undefined;
}

/**
 * Block ids: one fixed length per blob (Azure requires it), unique per writer; `kind` keeps the
 * spliced blocks (`s`) apart from the new ones (`p`).
 */
function blockId(nonce: string, kind: "s" | "p", index: number): string {
  return btoa(`fusio-${nonce}-${kind}${String(index).padStart(5, "0")}`);
}

/**
 * The writer behind `AzureBlobFile`: bytes go through a {@link PartScheduler} (fixed block
 * size, bounded blocks in flight, bounded memory). A small object becomes one Put Blob at
 * commit; a larger one is staged with Put Block and committed with Put Block List. Staged
 * blocks stay invisible until the commit, so an abort or a failure publishes nothing. For an
 * append, the existing blob is staged server-side first (Put Block From URL with its own URL,
 * `x-ms-source-if-match` its ETag) and the commit carries `If-Match`, so a blob changed
 * meanwhile fails the append instead of losing the other writer's data.
 */
export class BlockWriter {
  readonly #options: BlockWriterOptions;
  readonly #scheduler: PartScheduler<string>;
  readonly #nonce = Math.floor(Math.random() * 0x100000000000)
    .toString(16)
    .padStart(11, "0");
  #splicedIds = 0;
  readonly #splice: Promise<string[]> | undefined;
  readonly #controller = new AbortController();

  constructor(options: BlockWriterOptions) {
    this.#options = options;
    const { client, key, blockSize, concurrency, existing } = options;
    const context: ErrorContext = { op: "write", path: key, backend: "azure" };
    this.#scheduler = new PartScheduler<string>({
      partSize: blockSize,
      concurrency,
      context,
      onProgress: options.onProgress,
      uploadPart: async ({ number, data, signal }) => {
        const id = blockId(this.#nonce, "p", number);
        await client.call(
          { method: "PUT", key, query: { comp: "block", blockid: id }, body: data },
          { op: "Put Block", path: key, signal, idempotent: true },
        );
        return id;
      },
    });
    if (existing !== undefined && existing.size > 0) {
      this.#splice = spliceExisting({
        client,
        key,
        existing,
        blockSize,
        concurrency,
        signal: this.#controller.signal,
        context,
        nextBlockId: () => blockId(this.#nonce, "s", this.#splicedIds++),
      });
      this.#splice.catch((error: unknown) => this.#scheduler.abort(error));
    }
  }

  /** Buffers `data` (copied), uploading full blocks; waits when all block slots are busy. */
  write(data: Uint8Array, signal?: AbortSignalLike): Promise<void> {
    return this.#scheduler.write(data, signal);
  }

  /** Publishes the blob and resolves to its new ETag. On failure the caller calls {@link abort}. */
  async commit(signal?: AbortSignalLike): Promise<string | undefined> {
    const { client, key, existing } = this.#options;
    const conditions: Record<string, string> = existing === undefined ? {} : { "if-match": existing.etag };
    const headers = { ...propertyHeaders(existing), ...conditions };
    if (this.#splice === undefined && this.#scheduler.partsStarted === 0) {
      const response = await client.call(
        {
          method: "PUT",
          key,
          headers: { ...headers, "x-ms-blob-type": "BlockBlob" },
          body: this.#scheduler.takeBuffered(),
        },
        { op: "Put Blob", path: key, signal, idempotent: true },
      );
      return response.headers.get("etag") ?? undefined;
    }
    const spliced = this.#splice === undefined ? [] : await this.#splice;
    const staged =
      this.#scheduler.partsStarted === 0 && this.#scheduler.buffered === 0 ? [] : await this.#scheduler.finish(signal);
    let xml = '<?xml version="1.0" encoding="utf-8"?><BlockList>';
    // <Latest>, not <Uncommitted>: a retry of a commit whose answer was lost finds the blocks
    // committed and commits the same list again.
    for (const id of spliced) xml += `<Latest>${id}</Latest>`;
    for (const id of staged) xml += `<Latest>${id}</Latest>`;
    xml += "</BlockList>";
    const response = await client.call(
      { method: "PUT", key, query: { comp: "blocklist" }, headers, body: new TextEncoder().encode(xml) },
      // With If-Match (an append) a lost answer is ambiguous: the retry would meet the new ETag.
      { op: "Put Block List", path: key, signal, idempotent: existing === undefined },
    );
    return response.headers.get("etag") ?? undefined;
  }

  /**
   * `AzureBlobFile.close`: commits, or discards the staged blocks when the caller aborted (the
   * service drops uncommitted blocks after a week) or the commit failed.
   */
  async close(signal: AbortSignalLike | undefined, context: ErrorContext): Promise<void> {
    if (signal?.aborted) {
      await this.abort(signal.reason);
      throwIfAborted(signal, context);
    }
    try {
      await this.commit(signal);
    } catch (error) {
      await this.abort(error);
      throw error;
    }
  }

  /** Stops every upload and waits for them; nothing is published. */
  async abort(reason?: unknown): Promise<void> {
    this.#controller.abort(reason);
    await Promise.allSettled([this.#scheduler.abort(reason), this.#splice]);
  }
}
