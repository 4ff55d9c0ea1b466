// The cross-process lock that orders CAS writers of one file, and the cleanup of what crashed
// writers leave behind.
//
// The lock is a file created atomically with link() from a temp file holding its owner's
// identity (boot id, host, pid, the pid's start time, a random token, the worker thread). A
// lock whose owner is certainly gone is stale and is broken by the next writer: another boot, a
// dead pid, a pid reused by a younger process, or this very thread (an in-thread queue orders
// our own writers, so a lock of this thread that it is waiting for was left by an earlier
// failure). A lock from another host (shared file systems) is stale after `leaseMs`.
//
// Breaking moves the lock aside and deletes it only if it is the one judged stale. What is not
// closed: two writers judging the same dead owner at once while a third takes the freed lock in
// between can leave the third and one of them both believing they hold it. That needs a crash
// and a three-way race within microseconds; the kernel locks that would close it (flock, OFD
// locks) are not available to Node.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { hostname, uptime } from "node:os";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { threadId } from "node:worker_threads";
import { type AbortSignalLike, abortError, type ErrorContext, sleep } from "@fusio/core";
import { errnoCode } from "./errors.ts";
import { closeFd, link, lstat, openFd, readdir, readText, rename, unlink, writeFully } from "./io.ts";
import { RESERVED_PREFIX } from "./list.ts";

const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;

/** How long a lock written by another host is honoured. */
const DEFAULT_LEASE_MS = 30_000;
/** An unreadable lock (a power cut before its content reached the disk) is stale after this. */
const UNREADABLE_GRACE_MS = 2_000;

interface Owner {
  readonly boot: string;
  readonly host: string;
  readonly pid: number;
  readonly start: string;
  readonly token: string;
  readonly thread: number;
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
  const [boot, host, pid, start, token, thread] = text.split("\n");
  if (boot === undefined || host === undefined || start === undefined || !token) return undefined;
  const number = Number(pid);
  if (!Number.isSafeInteger(number) || number <= 0) return undefined;
  return { boot, host, pid: number, start, token, thread: Number(thread) };
}

/**
 * Whether `pid` may still run. EPERM: it exists under another user. An error without an errno
 * (a sandbox refusing the probe, e.g. Deno without `--allow-run`) proves nothing, so the
 * owner is taken to be alive rather than have its lock broken.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    return code === undefined || code === "EPERM";
  }
}

/** Whether the lock described by `text` (last changed `ageMs` ago) certainly has no live owner. */
async function isStale(text: string, ageMs: number, leaseMs: number): Promise<boolean> {
  const owner = parseOwner(text);
  if (owner === undefined) return ageMs > UNREADABLE_GRACE_MS;
  const me = await self();
  if (owner.host !== me.host) return ageMs > leaseMs;
  if (owner.boot !== me.boot) return true;
  // Our own thread's queue orders its writers, so a lock of ours that this thread is waiting
  // for is left over. Another worker thread of this process may hold it legitimately.
  if (owner.pid === process.pid) return owner.thread === threadId;
  if (!alive(owner.pid)) return true;
  return owner.start !== "" && (await startTime(owner.pid)) !== owner.start;
}

// Queue per lock path, shared by every copy of this module in this thread (worker threads have
// their own), so that our own writers wait without polling and a lock file naming this thread
// is known to be stale.
const QUEUES_KEY = Symbol.for("@fusio/disk/cas-queues");
const registry = globalThis as Record<symbol, Map<string, Promise<void>> | undefined>;
registry[QUEUES_KEY] ??= new Map();
const queues: Map<string, Promise<void>> = registry[QUEUES_KEY];

// Temp files carry a hash of the host name and the writer's pid, so that a later writer on the
// same host can tell the leftovers of a dead process from files still being written.
// Computed on first use, not at import: reading the host name may need a permission (Deno's
// `--allow-sys=hostname`) that a program without conditional writes has no reason to grant.
let hostTag: string | undefined;
let leftover: RegExp | undefined;

function host(): string {
  hostTag ??= createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
  return hostTag;
}

/** A fresh name for one of fusio's own files (hidden from list). */
export function reservedName(kind: "tmp" | "broken"): string {
  return `${RESERVED_PREFIX}${kind}-${host()}-${process.pid}-${randomBytes(6).toString("hex")}`;
}

const swept = new Set<string>();

/**
 * Removes temp files that crashed writers of this host left in `directory`: those of a dead
 * pid, and those written before the machine booted. Best effort; runs on the first CAS in a
 * directory and whenever a stale lock is broken there.
 */
export async function sweep(directory: string, force: boolean): Promise<void> {
  if (!force && swept.has(directory)) return;
  if (swept.size > 10_000) swept.clear();
  swept.add(directory);
  try {
    leftover ??= new RegExp(`^\\${RESERVED_PREFIX}(?:tmp|broken)-${host()}-(\\d+)-`);
    const bootedAt = Date.now() - uptime() * 1000;
    for (const entry of await readdir(directory)) {
      const pid = Number(leftover.exec(entry.name)?.[1]);
      if (!pid || pid === process.pid) continue;
      const path = join(directory, entry.name);
      if (!alive(pid) || (await lstat(path)).mtimeMs < bootedAt) await unlink(path);
    }
  } catch {
    // Leftovers are invisible to list; failing to remove them is harmless.
  }
}

/** The lock file that orders CAS writers of `path`. */
export function lockPathOf(path: string): string {
  const name = createHash("sha256").update(basename(path)).digest("hex").slice(0, 24);
  return join(dirname(path), `${RESERVED_PREFIX}lock-${name}`);
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
  const draft = join(dirname(lockPath), reservedName("tmp"));
  const fd = await openFd(draft, O_WRONLY | O_CREAT | O_EXCL);
  try {
    await writeFully(
      fd,
      new TextEncoder().encode(`${me.boot}\n${me.host}\n${process.pid}\n${me.start}\n${token}\n${threadId}\n`),
    );
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
        await sweep(dirname(lockPath), true);
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
  const aside = join(dirname(lockPath), reservedName("broken"));
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
