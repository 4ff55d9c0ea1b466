// List Blobs as fusio metadata: https://learn.microsoft.com/rest/api/storageservices/list-blobs
import { type AbortSignalLike, type ErrorContext, type FileMeta, type HttpResponse, Path } from "@fusio/core";
import { invalidAnswer } from "@fusio/http/answer";
import { readBoundedText } from "@fusio/http/bounded-body";
import type { BlobClient } from "./client.ts";
import { ListOrder } from "./list-order.ts";
import { type ListedItem, type ListPage, scanListPage } from "./list-scan.ts";

/**
 * The largest List Blobs page read: 5,000 entries of names up to 1,024 characters, each escaped,
 * with their properties, stay far below it.
 */
export const LIST_PAGE_LIMIT: number = 64 * 1024 * 1024;

/** A List Blobs answer's text. @throws FusioError `Remote` past {@link LIST_PAGE_LIMIT}. */
export async function listPageText(response: HttpResponse, context: ErrorContext): Promise<string> {
  return readBoundedText(response.body, LIST_PAGE_LIMIT, "a listing page", context);
}

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
  const order = recursive ? undefined : new ListOrder<Accepted>(prefix);
  if (order !== undefined) query.delimiter = "/";
  // A marker seen before would list the same pages again, forever.
  const markers = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await client.send(
      { method: "GET", query },
      { op: "list", path: base.raw, signal, idempotent: true },
      async (response) => readListPage(await listPageText(response, context), context),
    );
    marker = page.nextMarker;
    if (marker !== undefined) {
      if (markers.has(marker)) throw invalidAnswer("the listing repeated a marker", context);
      markers.add(marker);
      query.marker = marker;
    }
    // Entries a Path cannot name exactly, or outside the prefix, are dropped before ordering.
    const items: Accepted[] = [];
    for (const item of page.items) {
      const path = listedPath(item, prefix, recursive);
      if (path !== undefined) items.push({ ...item, path });
    }
    for (const item of order?.page(items, marker === undefined) ?? items) yield toMeta(item);
  } while (marker !== undefined);
}

/**
 * One page of a plain listing.
 * @throws FusioError `Remote` when it is not a List Blobs page, or a size or an escape in it is
 *   bad (a `RangeError` or `URIError` never escapes).
 */
export function readListPage(xml: string, context: ErrorContext): ListPage {
  try {
    return scanListPage(xml);
  } catch (error) {
    throw invalidAnswer("the listing is not readable", context, error);
  }
}

/**
 * The path of `item` when it belongs in the listing of `prefix` and its name is exactly a fusio
 * path (a directory: the path and a `/`); else undefined. Keys are never renamed: a name that
 * `Path.parse` would change (a leading or trailing `/`) or refuse (an empty, `.` or `..`
 * segment, a control character), or that holds U+FFFD (what invalid UTF-8 decodes to), is
 * skipped, and so is an entry outside the prefix, a directory in a recursive listing, or an
 * entry below a child in a listing by directory.
 */
export function listedPath(item: ListedItem, prefix: string, recursive: boolean): Path | undefined {
  const name = item.name;
  if (!name.startsWith(prefix) || name.length === prefix.length || name.includes("\uFFFD")) return undefined;
  const slash = name.indexOf("/", prefix.length);
  if (item.isPrefix ? recursive || slash !== name.length - 1 : !recursive && slash >= 0) return undefined;
  const raw = item.isPrefix ? name.slice(0, -1) : name;
  try {
    const path = Path.parse(raw);
    return path.raw === raw ? path : undefined;
  } catch {
    return undefined;
  }
}

/** A listed item {@link listedPath} accepts, with its path. */
interface Accepted extends ListedItem {
  readonly path: Path;
}

/** An accepted blob or prefix as fusio metadata. */
function toMeta(item: Accepted): FileMeta {
  const path = item.path;
  if (item.isPrefix) return { path, size: 0, isDirectory: true };
  const meta: { path: Path; size: number; lastModified?: Date; etag?: string } = { path, size: item.size };
  if (item.lastModified !== undefined) meta.lastModified = item.lastModified;
  if (item.etag !== undefined) meta.etag = item.etag;
  return meta;
}
