import { type AbortSignalLike, type ErrorContext, type FileMeta, Path, throwIfAborted } from "@fusio/core";
import type { R2BucketLike, R2ObjectLike, R2ObjectsLike } from "../binding.ts";
import { fromR2Error } from "./errors.ts";

const SLASH = 0x2f;

/**
 * The entries under `base`, in `Path.compare` order. R2 lists keys in byte order, where the
 * common prefix `c/` comes after `c.txt` although the directory `c` sorts before it; so an
 * entry whose name holds a character below `/` waits until the listing has passed every key
 * that could still name an earlier directory.
 */
export async function* listEntries(
  bucket: R2BucketLike,
  base: Path,
  recursive: boolean,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): AsyncGenerator<FileMeta> {
  const prefix = base.isRoot ? "" : `${base.raw}/`;
  let cursor: string | undefined;
  const pending: FileMeta[] = [];
  const seenDirectories = new Set<string>();
  let last = "";
  for (;;) {
    throwIfAborted(signal, context);
    let page: R2ObjectsLike;
    try {
      page = await bucket.list({
        prefix,
        ...(recursive ? {} : { delimiter: "/" }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    } catch (error) {
      throw fromR2Error(error, context);
    }
    for (const object of page.objects) {
      const key = object.key;
      if (Path.compare(key, last) > 0) last = key;
      const entry = key === prefix ? undefined : fileEntry(key, object);
      if (entry) pending.push(entry);
    }
    for (const common of page.delimitedPrefixes) {
      if (Path.compare(common, last) > 0) last = common;
      const path = parse(common);
      if (path && !seenDirectories.has(path.raw)) {
        seenDirectories.add(path.raw);
        pending.push({ path, size: 0, isDirectory: true });
      }
    }
    const more = page.truncated && page.cursor !== undefined;
    if (recursive) {
      // No common prefixes: byte order of keys is already path order.
      yield* pending.splice(0);
    } else {
      pending.sort((a, b) => Path.compare(a.path, b.path));
      let ready = 0;
      while (ready < pending.length && (!more || settled(pending[ready] as FileMeta, prefix.length, last))) ready++;
      yield* pending.splice(0, ready);
    }
    if (!more) return;
    cursor = page.cursor;
  }
}

/** True when no key after `last` can list a directory that sorts before `entry`. */
function settled(entry: FileMeta, from: number, last: string): boolean {
  const raw = entry.path.raw;
  for (let i = from + 1; i < raw.length; i++) {
    if (raw.charCodeAt(i) < SLASH && Path.compare(`${raw.slice(0, i)}/`, last) > 0) return false;
  }
  return true;
}

function parse(key: string): Path | undefined {
  try {
    return Path.parse(key);
  } catch {
    return undefined; // a key fusio cannot name (e.g. `a//b`), written by another tool
  }
}

function fileEntry(key: string, object: R2ObjectLike): FileMeta | undefined {
  const path = parse(key);
  if (path === undefined || key.endsWith("/")) return undefined;
  return { path, size: object.size, lastModified: new Date(object.uploaded), etag: object.etag };
}
