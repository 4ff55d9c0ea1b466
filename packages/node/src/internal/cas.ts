// Conditional writes on local disk, atomic across processes and safe against a crash at any
// point:
//
// 1. The new content goes to a temp file next to the target and is fdatasync'ed.
// 2. The writer takes the target's lock file (below). The lock only orders CAS writers; plain
//    writes through handles do not take it.
// 3. ifNotExists publishes with link(temp, target), which never replaces an existing file;
//    ifMatch reads the current tag and publishes with rename(temp, target), which replaces the
//    name atomically: a reader opens either the old inode or the new one, never a partial file.
// 4. The directory is fsync'ed, then the lock is released.
//
// The lock is a file created atomically with link() from a temp file holding its owner's
// identity (boot id, pid, the pid's start time, a random token). A lock whose owner is
// certainly gone is stale and is broken by the next writer: another boot, a dead pid, a pid
// reused by a younger process, or this very process (an in-process queue orders our own
// writers, so a lock of ours that nobody here holds is left from a crash of an older copy).
// A lock from another host (shared file systems) is stale after `leaseMs`. A process killed
// at any step therefore leaves the old or the new content, a temp file nobody sees (names
// starting `.fusio-` are hidden from list), and at most a lock that the next writer breaks.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { type AbortSignalLike, abortError, type CasCondition, type ErrorContext, FusioError } from "@fusio/core";
import { errnoCode } from "./errors.ts";
import {
  closeFd,
  fstatBig,
  fsyncFd,
  link,
  lstat,
  openFd,
  readPrefix,
  readText,
  rename,
  syncDir,
  unlink,
  writeFully,
} from "./io.ts";

/** Names with this prefix are fusio's own (temp and lock files): list hides them. */
export const RESERVED_PREFIX = ".fusio-";

/** How long a lock written by another host is honoured. */
const DEFAULT_LEASE_MS = 30_000;
/** An unreadable lock (a power cut before its content reached the disk) is stale after this. */
const UNREADABLE_GRACE_MS = 2_000;

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;

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
export async function loadWithTag(
  path: string,
  context: ErrorContext,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  let fd: number;
  try {
    fd = await openFd(path, O_RDONLY);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = await fstatBig(fd);
      if (before.isDirectory()) throw new FusioError("IsADirectory", "the path is a directory", context);
      const data = await readPrefix(fd, Number(before.size));
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

interface Owner {
  readonly boot: string;
  readonly host: string;
  readonly pid: number;
  readonly start: string;
  readonly token: string;
}

let identity: Promise<{ boot: string; host: string; start: string }> | undefined;

function readOr(path: string, fallback: string): Promise<string> {
  return readText(path).then(
    (text) => text.trim(),
    () => fallback,
  );
}

/** The start time of `pid` in clock ticks since boot (Linux), or "" where unknown. */
async function startTime(pid: number): Promise<string> {
  const stat = await readOr(`/proc/${pid}/stat`, "");
  // Field 22, counted after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? "";
}

function self(): Promise<{ boot: string; host: string; start: string }> {
  identity ??= Promise.all([readOr("/proc/sys/kernel/random/boot_id", ""), startTime(process.pid)]).then(
    ([boot, start]) => ({ boot, host: hostname(), start }),
  );
  return identity;
}

function parseOwner(text: string): Owner | undefined {
  const [boot, host, pid, start, token] = text.split("\n");
  if (boot === undefined || host === undefined || start === undefined || !token) return undefined;
  const number = Number(pid);
  return Number.isSafeInteger(number) && number > 0 ? { boot, host, pid: number, start, token } : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM"; // exists, owned by someone else
  }
}

/** Whether the lock described by `text` (last changed `ageMs` ago) certainly has no live owner. */
async function isStale(text: string, ageMs: number, leaseMs: number): Promise<boolean> {
  const owner = parseOwner(text);
  if (owner === undefined) return ageMs > UNREADABLE_GRACE_MS;
  const me = await self();
  if (owner.host !== me.host) return ageMs > leaseMs;
  if (owner.boot !== me.boot) return true;
  if (owner.pid === process.pid) return true;
  if (!alive(owner.pid)) return true;
  return owner.start !== "" && (await startTime(owner.pid)) !== owner.start;
}

// In-process queue per lock path, shared by every copy of this module in the process, so that
// our own writers wait without polling and a lock file naming this pid is known to be stale.
const QUEUES_KEY = Symbol.for("@fusio/node/cas-queues");
const registry = globalThis as Record<symbol, Map<string, Promise<void>> | undefined>;
registry[QUEUES_KEY] ??= new Map();
const queues: Map<string, Promise<void>> = registry[QUEUES_KEY];

function randomName(kind: string): string {
  return `${RESERVED_PREFIX}${kind}-${process.pid}-${randomBytes(6).toString("hex")}`;
}

function lockPathOf(path: string): string {
  const name = createHash("sha256").update(basename(path)).digest("hex").slice(0, 24);
  return join(dirname(path), `${RESERVED_PREFIX}lock-${name}`);
}

function sleep(ms: number, signal: AbortSignalLike | undefined, context: ErrorContext): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal, context));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A held lock; `release` removes it when it is still ours. */
export interface Lock {
  release(): Promise<void>;
}

/**
 * Takes the cross-process lock of `path` (waiting with backoff while a live owner holds it,
 * breaking it when its owner is gone).
 * @throws FusioError `Aborted` when `signal` fires while waiting (nothing is held then).
 */
export async function acquireLock(
  path: string,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  leaseMs: number = DEFAULT_LEASE_MS,
): Promise<Lock> {
  const lockPath = lockPathOf(path);
  // In-process turn first.
  const previous = queues.get(lockPath) ?? Promise.resolve();
  let leave: () => void = () => undefined;
  const turn = new Promise<void>((resolve) => {
    leave = resolve;
  });
  const tail = previous.then(() => turn);
  queues.set(lockPath, tail);
  const done = (): void => {
    leave();
    if (queues.get(lockPath) === tail) queues.delete(lockPath);
  };
  try {
    await waitTurn(previous, signal, context);
    const token = await takeFileLock(lockPath, signal, context, leaseMs);
    return {
      release: async () => {
        try {
          const text = await readText(lockPath).catch(() => "");
          if (parseOwner(text)?.token === token) await unlink(lockPath);
        } finally {
          done();
        }
      },
    };
  } catch (error) {
    done();
    throw error;
  }
}

function waitTurn(previous: Promise<void>, signal: AbortSignalLike | undefined, context: ErrorContext): Promise<void> {
  if (!signal) return previous;
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal, context));
    const onAbort = (): void => reject(abortError(signal, context));
    signal.addEventListener("abort", onAbort, { once: true });
    previous.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

async function takeFileLock(
  lockPath: string,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  leaseMs: number,
): Promise<string> {
  const me = await self();
  const token = randomBytes(12).toString("hex");
  const draft = join(dirname(lockPath), randomName("tmp"));
  const fd = await openFd(draft, O_WRONLY | O_CREAT | O_EXCL);
  try {
    await writeFully(fd, new TextEncoder().encode(`${me.boot}\n${me.host}\n${process.pid}\n${me.start}\n${token}\n`));
  } finally {
    await closeFd(fd);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError(signal, context);
      try {
        await link(draft, lockPath);
        return token;
      } catch (error) {
        if (errnoCode(error) !== "EEXIST") throw error;
      }
      let text: string;
      let ageMs: number;
      try {
        text = await readText(lockPath);
        ageMs = Date.now() - (await lstat(lockPath)).mtimeMs;
      } catch (error) {
        if (errnoCode(error) === "ENOENT") continue; // released meanwhile
        throw error;
      }
      if (await isStale(text, ageMs, leaseMs)) {
        await breakLock(lockPath, text);
        continue;
      }
      const backoff = Math.min(50, 2 ** Math.min(attempt, 6));
      await sleep(backoff / 2 + Math.random() * backoff, signal, context);
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/**
 * Removes a stale lock without removing a fresh one taken meanwhile: move it aside, and only
 * delete it when it is the one judged stale (otherwise put it back if the slot is still free).
 */
async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = join(dirname(lockPath), randomName("broken"));
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return;
    throw error;
  }
  const moved = await readText(aside).catch(() => "");
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/**
 * Publishes `data` at `path` if `when` holds, and returns the new tag.
 * @throws FusioError `PreconditionFailed`, `Aborted` (before anything is published).
 */
export async function putConditional(
  path: string,
  data: Uint8Array,
  when: CasCondition,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  leaseMs?: number,
): Promise<string> {
  const directory = dirname(path);
  const temp = join(directory, randomName("tmp"));
  let fd: number;
  try {
    fd = await openFd(temp, O_WRONLY | O_CREAT | O_EXCL);
  } catch (error) {
    // ifMatch on a path whose directory is missing: there is nothing to match.
    if ("ifMatch" in when && (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR")) {
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
        const current = await loadWithTag(path, context);
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
