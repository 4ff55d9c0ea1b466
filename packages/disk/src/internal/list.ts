import type { Dirent, Stats } from "node:fs";
import { join } from "node:path";
import { type AbortSignalLike, abortError, type ErrorContext, type FileMeta, Path } from "@fusio/core";
import { errnoCode, isMissing } from "./errors.ts";
import { readdir, realpath, stat } from "./io.ts";
import { inside, type Root } from "./root.ts";

/** Names with this prefix are fusio's own (temp and lock files): list hides them. */
export const RESERVED_PREFIX = ".fusio-";

/** How many entries of one directory are stat'ed at once. */
const STAT_CONCURRENCY = 32;

interface Found {
  readonly path: Path;
  readonly stats: Stats;
  readonly link: boolean;
  /** What orders it: in a recursive walk a directory sorts as "name/", among its own entries. */
  readonly key: string;
}

/**
 * The entries of one directory, then (recursive) of its sub-directories, in code point order of
 * their full paths. Entries that vanish while listed are skipped, and so are fusio's own
 * temp and lock files, names that are not valid paths, and links that lead outside the root
 * (unless allowed). A recursive walk does not descend into linked directories (no cycles).
 */
export async function* walk(
  root: Root,
  base: Path,
  directory: string,
  recursive: boolean,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): AsyncGenerator<FileMeta> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  const found: Found[] = [];
  for (let i = 0; i < entries.length; i += STAT_CONCURRENCY) {
    const batch = await Promise.all(
      entries.slice(i, i + STAT_CONCURRENCY).map((entry) => inspect(root, base, directory, entry, recursive)),
    );
    for (const item of batch) if (item) found.push(item);
  }
  found.sort((a, b) => Path.compare(a.key, b.key));
  for (const item of found) {
    if (signal?.aborted) throw abortError(signal, context);
    if (!item.stats.isDirectory()) {
      yield { path: item.path, size: item.stats.size, lastModified: item.stats.mtime };
    } else if (!recursive) {
      yield { path: item.path, size: 0, isDirectory: true, lastModified: item.stats.mtime };
    } else if (!item.link) {
      yield* walk(root, item.path, join(directory, item.path.filename() as string), true, signal, context);
    }
  }
}

async function inspect(
  root: Root,
  base: Path,
  directory: string,
  entry: Dirent,
  recursive: boolean,
): Promise<Found | undefined> {
  if (entry.name.startsWith(RESERVED_PREFIX)) return undefined;
  let path: Path;
  try {
    path = base.join(entry.name);
  } catch {
    return undefined; // a name fusio cannot express (control characters, ...)
  }
  const absolute = join(directory, entry.name);
  const link = entry.isSymbolicLink();
  try {
    if (link && !root.follow && !inside(await realpath(absolute), await root.real())) return undefined;
    const stats = await stat(absolute);
    if (!stats.isFile() && !stats.isDirectory()) return undefined; // sockets, fifos, devices
    const key = recursive && stats.isDirectory() ? `${path.raw}/` : path.raw;
    return { path, stats, link, key };
  } catch (error) {
    if (isMissing(error) || errnoCode(error) === "ELOOP") return undefined;
    throw error;
  }
}
