// List Blobs as fusio metadata: https://learn.microsoft.com/rest/api/storageservices/list-blobs
import { type AbortSignalLike, type ErrorContext, type FileMeta, FusioError, Path } from "@fusio/core";
import { bodyText } from "@fusio/http/body";
import type { BlobClient } from "./client.ts";
import { ListOrder } from "./list-order.ts";
import { type ListedItem, scanListPage } from "./list-scan.ts";

/** `AzureBlobFs.list`: the blobs under `base` (all of them, or its children with directories), in fusio's order. */
export async function* listBlobs(
  client: BlobClient,
  base: Path,
  recursive: boolean,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): AsyncGenerator<FileMeta> {
  const prefix = base.isRoot ? "" : `${base.raw}/`;
  const query: Record<string, string> = { restype: "container", comp: "list", prefix, maxresults: "5000" };
  // A delimited listing is reordered into fusio's order (a directory sorts as its path).
  const order = recursive ? undefined : new ListOrder(prefix);
  if (order !== undefined) query.delimiter = "/";
  let marker: string | undefined;
  do {
    const page = await client.send(
      { method: "GET", query },
      { op: "list", path: base.raw, signal, idempotent: true },
      async (response) => {
        try {
          return scanListPage(await bodyText(response.body));
        } catch (error) {
          throw new FusioError("Remote", "the listing is not readable XML", {
            ...context,
            cause: error,
            retryable: true,
          });
        }
      },
    );
    marker = page.nextMarker;
    if (marker !== undefined) query.marker = marker;
    for (const item of order?.page(page.items, marker === undefined) ?? page.items) {
      const meta = toMeta(item);
      if (meta !== undefined) yield meta;
    }
  } while (marker !== undefined);
}

/** A listed blob or prefix as fusio metadata; undefined for a name that is not a fusio path. */
function toMeta(item: ListedItem): FileMeta | undefined {
  let path: Path;
  try {
    path = Path.parse(item.isPrefix ? item.name.slice(0, -1) : item.name);
  } catch {
    // A blob whose name is not a fusio path (e.g. `a//b`, written by another client) is skipped.
    return undefined;
  }
  if (item.isPrefix) return { path, size: 0, isDirectory: true };
  const meta: { path: Path; size: number; lastModified?: Date; etag?: string } = { path, size: item.size };
  if (item.lastModified !== undefined) meta.lastModified = item.lastModified;
  if (item.etag !== undefined) meta.etag = item.etag;
  return meta;
}
