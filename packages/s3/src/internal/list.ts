import { type AbortSignalLike, type ErrorContext, type FileMeta, Path, throwIfAborted } from "@fusio/core";
import { invalidAnswer } from "@fusio/http/answer";
import { LIST_PAGE_LIMIT, readBounded } from "@fusio/http/bounded-body";
import type { S3Client } from "./client.ts";
import { type ListPage, parseListPage } from "./list-xml.ts";

/**
 * The entries under `base` (`S3Fs.list`): ListObjectsV2 pages, each fetched only when the
 * consumer wants more; objects and common prefixes merged in key order.
 *
 * What the server says is checked, not believed: a page is at most `LIST_PAGE_LIMIT` bytes; a
 * continuation token seen before rejects `Remote` (the listing would never end); entries outside
 * the directory asked for (`mine2/x` or `other/secret` in a listing of `mine`), or below it in a
 * non-recursive listing, are dropped; and a key that no `Path` names exactly (a leading or
 * trailing `/`, an empty segment, a control character, invalid UTF-8) is skipped: `Path.parse`
 * would turn it into another key, and reading the entry would read another object.
 */
export async function* listObjects(
  client: S3Client,
  base: Path,
  options: { recursive: boolean; pageSize: string | undefined },
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): AsyncGenerator<FileMeta> {
  const prefix = base.isRoot ? "" : `${base.raw}/`;
  const tokens = new Set<string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      {
        method: "GET",
        query: {
          "list-type": "2",
          prefix,
          delimiter: options.recursive ? undefined : "/",
          "continuation-token": token,
          "max-keys": options.pageSize,
        },
        idempotent: true,
        context,
        signal,
      },
      async (response) => readPage(await readBounded(response.body, LIST_PAGE_LIMIT, "a list page", context), context),
    );
    const entries: FileMeta[] = [];
    for (const object of page.objects) {
      // Zero-byte "folder" markers (`dir/`) are not files.
      if (object.key.endsWith("/")) continue;
      const path = listedPath(object.key, prefix, options.recursive, page.lossy);
      if (path !== undefined) entries.push(objectMeta(path, object));
    }
    for (const common of page.prefixes) {
      const path = common.endsWith("/") ? listedPath(common.slice(0, -1), prefix, false, page.lossy) : undefined;
      if (path !== undefined) entries.push({ path, size: 0, isDirectory: true });
    }
    // S3 lists keys, and apart from them common prefixes, in UTF-8 binary order (as the pages
    // follow each other): only a page with both needs them interleaved.
    if (page.prefixes.length > 0) entries.sort((a, b) => Path.compare(a.path, b.path));
    for (const entry of entries) {
      throwIfAborted(signal, context);
      yield entry;
    }
    token = page.nextToken;
    if (token !== undefined) {
      if (tokens.has(token)) throw invalidAnswer("the server repeated a continuation token", context);
      tokens.add(token);
    }
  } while (token !== undefined);
}

/**
 * A page's bytes as text, then parsed. Invalid UTF-8 makes the page `lossy`: its decoder put
 * U+FFFD in place of the bad bytes, so a key holding U+FFFD may stand for another key. Only a
 * page that holds U+FFFD is checked for that (a strict decoder is several times slower).
 */
function readPage(bytes: Uint8Array, context: ErrorContext): ListPage & { lossy: boolean } {
  const xml = new TextDecoder().decode(bytes);
  const lossy = xml.includes("\uFFFD") && !isUtf8(bytes);
  return { ...parseListPage(xml, context), lossy };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a listed key (or common prefix without its `/`), or undefined when it is to be
 * skipped: outside `prefix`, below it when not `recursive`, or not exactly a `Path`.
 */
function listedPath(key: string, prefix: string, recursive: boolean, lossy: boolean): Path | undefined {
  if (!key.startsWith(prefix) || key.length === prefix.length) return undefined;
  if (!recursive && key.includes("/", prefix.length)) return undefined;
  if (lossy && key.includes("\uFFFD")) return undefined;
  try {
    const path = Path.parse(key);
    return path.raw === key ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The `FileMeta` of an object (from a HEAD or a list entry); absent fields stay absent. */
export function objectMeta(
  path: Path,
  object: { size: number; lastModified: Date | undefined; etag: string | undefined },
): FileMeta {
  return {
    path,
    size: object.size,
    ...(object.lastModified && { lastModified: object.lastModified }),
    ...(object.etag && { etag: object.etag }),
  };
}
