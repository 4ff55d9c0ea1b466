import type { AbortSignalLike, ErrorContext } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { collectBody, remoteDetails } from "@fusio/http";
import { PartScheduler } from "@fusio/http/part-scheduler";
import type { BlobClient } from "./internal/client.ts";
import { sourceUrl } from "./internal/ops.ts";

/** Properties a blob keeps across an append (Put Block List replaces them unless resent). */
export interface BlobProperties {
  readonly contentType?: string | undefined;
  readonly cacheControl?: string | undefined;
  readonly contentEncoding?: string | undefined;
  readonly contentLanguage?: string | undefined;
  readonly contentDisposition?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** The blob an append continues: its size, ETag (the splice is guarded by it) and properties. */
export interface ExistingBlob extends BlobProperties {
  readonly size: number;
  readonly etag: string;
}

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
 * Server-side splice unit: Put Block From URL copies up to this much per block (the limit of
 * API versions before 2019-12-12 is 100 MiB; later ones allow 4000 MiB).
 */
const SPLICE_BLOCK = 100 * 1024 * 1024;

/** The headers that set a blob's properties and metadata on Put Blob / Put Block List. */
export function propertyHeaders(properties: BlobProperties | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (properties === undefined) return headers;
  if (properties.contentType !== undefined) headers["x-ms-blob-content-type"] = properties.contentType;
  if (properties.cacheControl !== undefined) headers["x-ms-blob-cache-control"] = properties.cacheControl;
  if (properties.contentEncoding !== undefined) headers["x-ms-blob-content-encoding"] = properties.contentEncoding;
  if (properties.contentLanguage !== undefined) headers["x-ms-blob-content-language"] = properties.contentLanguage;
  if (properties.contentDisposition !== undefined) {
    headers["x-ms-blob-content-disposition"] = properties.contentDisposition;
  }
  for (const [name, value] of Object.entries(properties.metadata ?? {})) headers[`x-ms-meta-${name}`] = value;
  return headers;
}

/**
 * Block ids: one fixed length per blob (Azure requires it), unique per writer; `kind` keeps the
 * spliced blocks (`s`) apart from the new ones (`p`).
 */
function blockId(nonce: string, kind: "s" | "p", index: number): string {
  return btoa(`fusio-${nonce}-${kind}${String(index).padStart(5, "0")}`);
}

/**
 * True when Put Block From URL failed because the service cannot copy (501, Azurite's bare 500
 * when the destination is authorized by an account SAS) or could not read the source with the
 * access it was given (CannotVerifyCopySource: Azurite does not pass a bearer token on to its
 * own read of the source): the range is then copied through the client instead, still guarded
 * by the ETag. Condition failures and auth errors of the request itself are real and propagate.
 */
function cannotCopyServerSide(error: unknown): boolean {
  if (!FusioError.is(error)) return false;
  if (error.kind === "Unsupported") return true;
  const code = remoteDetails(error)?.code;
  return code === "CannotVerifyCopySource" || (error.status === 500 && code === undefined);
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
  readonly #context: ErrorContext;
  readonly #scheduler: PartScheduler<string>;
  readonly #nonce = Math.floor(Math.random() * 0x100000000000)
    .toString(16)
    .padStart(11, "0");
  readonly #spliceRanges: number;
  #spliceIds = 0;
  readonly #splice: Promise<string[]> | undefined;
  readonly #controller = new AbortController();

  constructor(options: BlockWriterOptions) {
    this.#options = options;
    this.#context = { op: "write", path: options.key, backend: "azure" };
    const existing = options.existing;
    this.#spliceRanges = existing === undefined ? 0 : Math.ceil(existing.size / SPLICE_BLOCK);
    this.#scheduler = new PartScheduler<string>({
      partSize: options.blockSize,
      concurrency: options.concurrency,
      context: this.#context,
      onProgress: options.onProgress,
      uploadPart: async ({ number, data, signal }) => {
        const id = blockId(this.#nonce, "p", number);
        await options.client.call(
          { method: "PUT", key: options.key, query: { comp: "block", blockid: id }, body: data },
          { op: "Put Block", path: options.key, signal, idempotent: true },
        );
        return id;
      },
    });
    if (existing !== undefined && this.#spliceRanges > 0) {
      this.#splice = this.#stageExisting(existing);
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

  /** Stops every upload and waits for them; nothing is published. */
  async abort(reason?: unknown): Promise<void> {
    this.#controller.abort(reason);
    await Promise.allSettled([this.#scheduler.abort(reason), this.#splice]);
  }

  async #stageExisting(existing: ExistingBlob): Promise<string[]> {
    const { client, key, concurrency } = this.#options;
    const signal = this.#controller.signal;
    const source = await sourceUrl(client, key, signal);
    const ranges: string[][] = [];
    let serverSide = true;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.#spliceRanges) {
        const index = next++;
        const start = index * SPLICE_BLOCK;
        const end = Math.min(existing.size, start + SPLICE_BLOCK) - 1;
        if (serverSide) {
          const id = blockId(this.#nonce, "s", this.#spliceIds++);
          try {
            await client.call(
              {
                method: "PUT",
                key,
                query: { comp: "block", blockid: id },
                headers: {
                  ...source.headers,
                  "x-ms-copy-source": source.url,
                  "x-ms-source-range": `bytes=${start}-${end}`,
                  "x-ms-source-if-match": existing.etag,
                },
              },
              { op: "Put Block From URL", path: key, signal, idempotent: true },
            );
            ranges[index] = [id];
            continue;
          } catch (error) {
            if (!cannotCopyServerSide(error)) throw error;
            serverSide = false;
          }
        }
        ranges[index] = await this.#copyThroughClient(existing, start, end, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.#spliceRanges) }, worker));
    return ranges.flat();
  }

  /** The fallback splice: reads [start, end] in blocks (guarded by the ETag) and stages them. */
  async #copyThroughClient(existing: ExistingBlob, start: number, end: number, signal: AbortSignal): Promise<string[]> {
    const { client, key, blockSize } = this.#options;
    const ids: string[] = [];
    for (let from = start; from <= end; from += blockSize) {
      const to = Math.min(end, from + blockSize - 1);
      const data = await client.send(
        { method: "GET", key, headers: { "x-ms-range": `bytes=${from}-${to}`, "if-match": existing.etag } },
        { op: "append", path: key, signal, idempotent: true },
        async (response) => {
          const body = await collectBody(response.body, to - from + 1);
          if (body.length !== to - from + 1) {
            throw new FusioError("Io", "the blob's body ended early", { ...this.#context, retryable: true });
          }
          return body;
        },
      );
      const id = blockId(this.#nonce, "s", this.#spliceIds++);
      await client.call(
        { method: "PUT", key, query: { comp: "block", blockid: id }, body: data },
        { op: "Put Block", path: key, signal, idempotent: true },
      );
      ids.push(id);
    }
    return ids;
  }
}
