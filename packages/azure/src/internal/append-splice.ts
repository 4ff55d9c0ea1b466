// The first half of an append: the existing blob staged as blocks of the new version, by the
// service itself (Put Block From URL with the blob's own URL, guarded by its ETag) or, where the
// service cannot, through the client.
// https://learn.microsoft.com/rest/api/storageservices/put-block-from-url
import { type ErrorContext, FusioError } from "@fusio/core";
import { collectBody, remoteDetails } from "@fusio/http";
import type { ExistingBlob } from "./blob-properties.ts";
import type { BlobClient } from "./client.ts";
import { checkRange } from "./read.ts";

/**
 * Server-side splice unit: Put Block From URL copies up to this much per block (the limit of
 * API versions before 2019-12-12 is 100 MiB; later ones allow 4000 MiB).
 */
const SPLICE_BLOCK = 100 * 1024 * 1024;

export interface SpliceOptions {
  readonly client: BlobClient;
  readonly key: string;
  /** The blob as it was at open; nothing is staged if it changed since (its ETag guards every read). */
  readonly existing: ExistingBlob;
  /** Block size of the fallback through the client. */
  readonly blockSize: number;
  /** Ranges staged at once. */
  readonly concurrency: number;
  /** The writer's signal: its abort stops the splice. */
  readonly signal: AbortSignal;
  readonly context: ErrorContext;
  /** The next id of a spliced block (ids are the writer's: one length per blob). */
  readonly nextBlockId: () => string;
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

/** Stages the existing blob in ranges of {@link SPLICE_BLOCK}; resolves to the block ids in order. */
export async function spliceExisting(options: SpliceOptions): Promise<string[]> {
  const { client, key, existing, concurrency, signal, nextBlockId } = options;
  const rangeCount = Math.ceil(existing.size / SPLICE_BLOCK);
  const source = await client.sourceUrl(key, signal);
  const ranges: string[][] = [];
  let serverSide = true;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rangeCount) {
      const index = next++;
      const start = index * SPLICE_BLOCK;
      const end = Math.min(existing.size, start + SPLICE_BLOCK) - 1;
      if (serverSide) {
        const id = nextBlockId();
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
      ranges[index] = await copyThroughClient(options, start, end);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rangeCount) }, worker));
  return ranges.flat();
}

/** The fallback: reads [start, end] in blocks (guarded by the ETag) and stages them. */
async function copyThroughClient(options: SpliceOptions, start: number, end: number): Promise<string[]> {
  const { client, key, existing, blockSize, signal, context, nextBlockId } = options;
  const ids: string[] = [];
  for (let from = start; from <= end; from += blockSize) {
    const to = Math.min(end, from + blockSize - 1);
    const data = await client.send(
      { method: "GET", key, headers: { "x-ms-range": `bytes=${from}-${to}`, "if-match": existing.etag } },
      { op: "append", path: key, signal, idempotent: true },
      async (response) => {
        await checkRange(response, from, to - from + 1, context);
        const body = await collectBody(response.body, to - from + 1);
        if (body.length !== to - from + 1) {
          throw new FusioError("Io", "the blob's body ended early", { ...context, retryable: true });
        }
        return body;
      },
    );
    const id = nextBlockId();
    await client.call(
      { method: "PUT", key, query: { comp: "block", blockid: id }, body: data },
      { op: "Put Block", path: key, signal, idempotent: true },
    );
    ids.push(id);
  }
  return ids;
}
