// Opening a blob for append: what the blob is now, so that the append keeps it.
import { type AbortSignalLike, type ErrorContext, type File, FusioError } from "@fusio/core";
import type { ExistingBlob } from "./blob-properties.ts";
import type { BlobClient } from "./client.ts";
import { listPageText } from "./list.ts";
import { readMetadataPage } from "./list-xml.ts";

/** Size, ETag, properties and metadata of one blob, in one request (List Blobs with include=metadata). */
async function describe(
  client: BlobClient,
  name: string,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<ExistingBlob | undefined> {
  const page = await client.send(
    {
      method: "GET",
      query: { restype: "container", comp: "list", prefix: name, include: "metadata", maxresults: "1" },
    },
    { op: "open", path: name, signal, idempotent: true },
    async (response) => readMetadataPage(await listPageText(response, context), context),
  );
  const item = page.items[0];
  if (item === undefined || item.name !== name || item.etag === undefined) return undefined;
  return { ...item, etag: item.etag };
}

/**
 * `AzureBlobFs.open` of an append: the blob's size, ETag, properties and metadata (an append
 * keeps them), or a new blob when it is missing and `create` is set.
 */
export async function openAppend(
  client: BlobClient,
  name: string,
  create: boolean,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  file: (size: number, publish: boolean, existing?: ExistingBlob) => File,
): Promise<File> {
  const existing = await describe(client, name, signal, context);
  if (existing === undefined) {
    if (!create) throw new FusioError("NotFound", "no such blob", context);
    return file(0, true);
  }
  // An empty blob is replaced by what is written (guarded by nothing: there is nothing to keep).
  return file(existing.size, false, existing.size > 0 ? existing : undefined);
}
