import { type AbortSignalLike, type ErrorContext, type FileMeta, Path, throwIfAborted } from "@fusio/core";
import { bodyText } from "@fusio/http/body";
import type { S3Client } from "./client.ts";
import { parseListPage } from "./list-xml.ts";

/**
 * The entries under `base` (`S3Fs.list`): ListObjectsV2 pages, each fetched only when the
 * consumer wants more; objects and common prefixes merged in key order.
 */
export async function* listObjects(
  client: S3Client,
  base: Path,
  options: { recursive: boolean; pageSize: string | undefined },
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): AsyncGenerator<FileMeta> {
  const prefix = base.isRoot ? "" : `${base.raw}/`;
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
      async (response) => parseListPage(await bodyText(response.body), context),
    );
    const entries: FileMeta[] = [];
    for (const object of page.objects) {
      // Zero-byte "folder" markers (`dir/`) and keys fusio cannot name are not files.
      if (object.key.endsWith("/")) continue;
      const path = parseKey(object.key);
      if (path === undefined) continue;
      entries.push(objectMeta(path, object));
    }
    for (const common of page.prefixes) {
      const path = parseKey(common);
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
  } while (token !== undefined);
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

function parseKey(key: string): Path | undefined {
  try {
    return Path.parse(key);
  } catch {
    return undefined;
  }
}
