// Conditional writes on local disk, atomic across processes and safe against a crash at any
// point:
//
// 1. The new content goes to a temp file next to the target and is fdatasync'ed.
// 2. The writer takes the target's lock file (lock.ts). The lock only orders CAS writers; plain
//    writes through handles do not take it.
// 3. ifNotExists publishes with link(temp, target), which never replaces an existing file;
//    ifMatch reads the current tag and publishes with rename(temp, target), which replaces the
//    name atomically: a reader opens either the old inode or the new one, never a partial file.
// 4. The directory is fsync'ed, then the lock is released.
//
// A process killed at any step leaves the old or the new content, a temp file nobody sees (names
// starting `.fusio-` are hidden from list), and at most a lock that the next writer breaks
// (see lock.ts).
import { createHash } from "node:crypto";
import fs from "node:fs";
import { dirname, join } from "node:path";
import {
  type AbortSignalLike,
  abortError,
  beginCall,
  type CallOptions,
  type CasCondition,
  checkBytes,
  checkCasCondition,
  type ErrorContext,
  FusioError,
  type Path,
  type PutConditionalOptions,
  throwIfAborted,
} from "@fusio/core";
import { errnoCode, fromErrno, isMissing } from "./errors.ts";
import {
  closeFd,
  fstatBig,
  fsyncFd,
  link,
  mkdirs,
  openFd,
  readRange,
  rename,
  syncDir,
  unlink,
  writeFully,
} from "./io.ts";
import { acquireLock, reservedName, sweep } from "./lock.ts";
import type { Root } from "./root.ts";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;

/** `CasFs.loadWithTag` of a local Fs. */
export async function loadWithTag(
  root: Root,
  path: Path | string,
  options?: CallOptions,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  const { path: key, context } = beginCall(root.kind, "loadWithTag", path, options?.signal);
  if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
  const absolute = await root.resolve(key, context);
  try {
    return await load(absolute, context);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

/** `CasFs.putConditional` of a local Fs. */
export async function putConditional(
  root: Root,
  path: Path | string,
  data: Uint8Array,
  when: CasCondition,
  options: PutConditionalOptions,
): Promise<string> {
  const { path: key, context } = beginCall(root.kind, "putConditional", path);
  checkBytes(data, "data", context);
  checkCasCondition(when, context);
  throwIfAborted(options.signal, context);
  if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
  const absolute = await root.resolve(key, context);
  try {
    if ("ifNotExists" in when) await mkdirs(dirname(absolute));
    return await publish(absolute, data, when, options.signal, context, root.leaseMs);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

/**
 * The tag of one state of a file: a hash of its inode, size, modification time (ns) and
 * content. Any write changes the content or, in a later clock tick, the mtime, or replaces the
 * inode; and two states only share a tag when the same inode holds byte-identical content, so
 * a CAS from a stale tag can never overwrite content its writer has not seen.
 */
export function tagOf(stats: fs.BigIntStats, content: Uint8Array): string {
  return createHash("sha256")
    .update(`${stats.ino}:${stats.size}:${stats.mtimeNs}\n`)
    .update(content)
    .digest("hex")
    .slice(0, 32);
}

/**
 * Reads a whole file and its tag from one consistent state (re-read if it changed while being
 * read); undefined when missing.
 */
async function load(path: string, context: ErrorContext): Promise<{ data: Uint8Array; tag: string } | undefined> {
  let fd: number;
  try {
    fd = await openFd(path, O_RDONLY);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = await fstatBig(fd);
      if (before.isDirectory()) throw new FusioError("IsADirectory", "the path is a directory", context);
      const data = await readRange(fd, 0, Number(before.size));
      const after = await fstatBig(fd);
      if (after.size === before.size && after.mtimeNs === before.mtimeNs && data.length === Number(before.size)) {
        return { data, tag: tagOf(after, data) };
      }
    }
    throw new FusioError("Io", "the file kept changing while it was read", { ...context, retryable: true });
  } finally {
    await closeFd(fd);
  }
}

/**
 * Publishes `data` at `path` if `when` holds, and returns the new tag.
 * @throws FusioError `PreconditionFailed`, `Aborted` (before anything is published).
 */
async function publish(
  path: string,
  data: Uint8Array,
  when: CasCondition,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  leaseMs?: number,
): Promise<string> {
  const directory = dirname(path);
  await sweep(directory, false);
  const temp = join(directory, reservedName("tmp"));
  let fd: number;
  try {
    fd = await openFd(temp, O_WRONLY | O_CREAT | O_EXCL);
  } catch (error) {
    // ifMatch on a path whose directory is missing: there is nothing to match.
    if ("ifMatch" in when && isMissing(error)) {
      throw preconditionFailed(context);
    }
    throw error;
  }
  let published = false;
  try {
    await writeFully(fd, data);
    await fsyncFd(fd, "data");
    // Publishing (link or rename) changes neither the inode, the size nor the mtime.
    const tag = tagOf(await fstatBig(fd), data);
    if (signal?.aborted) throw abortError(signal, context);
    const lock = await acquireLock(path, signal, context, leaseMs);
    try {
      if ("ifNotExists" in when) {
        try {
          await link(temp, path);
        } catch (error) {
          if (errnoCode(error) === "EEXIST") throw preconditionFailed(context);
          throw error;
        }
      } else {
        const current = await load(path, context);
        if (current === undefined || current.tag !== when.ifMatch) throw preconditionFailed(context);
        await rename(temp, path);
      }
      published = true;
      await syncDir(directory);
    } finally {
      await lock.release();
    }
    return tag;
  } finally {
    await closeFd(fd);
    if (!published || "ifNotExists" in when) await unlink(temp).catch(() => undefined);
  }
}

function preconditionFailed(context: ErrorContext): FusioError {
  return new FusioError("PreconditionFailed", "the condition of the write does not hold", context);
}
