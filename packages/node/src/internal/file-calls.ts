// The calls of a DiskFile that are off its hot path, loaded at their first use (and by `open`
// when a runtime writer is given): whole-file reads, size, flush, sync, zero-length and short
// reads, failed appends, and everything a runtime writer (Bun's FileSink) needs; and the
// argument checks and refusals of the calls `rare` in disk-file.ts hands over (`settle`).
import { Buffer } from "node:buffer";
import fs from "node:fs";
import { dirname } from "node:path";
import { abortError, type CallOptions, checkBytes, checkPosition, FusioError, type SyncLevel } from "@fusio/core";
import {
  type Access,
  context,
  done,
  drain,
  type Handle,
  next,
  type RareCall,
  type Refusal,
  type WriteJob,
} from "../disk-file.ts";
import { fromErrno } from "./errors.ts";
import { call, fstat } from "./io.ts";
import { fsyncFd, syncDir } from "./io-more.ts";

const DONE: Promise<void> = Promise.resolve();

/**
 * A call `rare` in disk-file.ts handed over: its arguments are checked, then it is refused as
 * decided when it was made, or run. A call that was not refused was counted as in flight.
 */
export async function settle(
  h: Handle,
  op: RareCall,
  access: Access,
  refused: Refusal | undefined,
  options: CallOptions | undefined,
  args: unknown[],
): Promise<never> {
  try {
    const where = context(h, op);
    if (op === "readToEndAt") checkPosition(args[0] as number, "pos", where);
    if (op === "readExactAt") {
      checkBytes(args[0], "buf", where);
      checkPosition(args[1] as number, "pos", where);
    }
    if (op === "writeAll") checkBytes(args[0], "data", where);
    if (refused === "Aborted") throw abortError(options?.signal, where);
    if (refused === "Closed") throw new FusioError("Closed", "the file is closed", where);
    if (refused)
      throw new FusioError(refused, `the file was not opened for ${access === "read" ? "reading" : "writing"}`, where);
    return (await RARE[op](h, ...(args as never[]))) as never;
  } finally {
    if (!refused) done(h);
  }
}

/** Continues a short positional read (or settles it); `filled` bytes of `buf` are filled. */
export function readMore<T extends Uint8Array>(
  h: Handle,
  buf: T,
  pos: number,
  filled: number,
  read: number,
  error: NodeJS.ErrnoException | null,
  resolve: (buf: T) => void,
  reject: (error: unknown) => void,
): void {
  if (error || filled === buf.length || read === 0) {
    done(h);
    if (error) reject(fromErrno(error, context(h, "readExactAt")));
    else if (filled === buf.length) resolve(buf);
    else reject(eof(h, buf.length, pos));
  } else {
    fs.read(h.fd, buf, filled, buf.length - filled, pos + filled, (nextError, nextRead) =>
      readMore(h, buf, pos, filled + (nextRead ?? 0), nextRead ?? 0, nextError, resolve, reject),
    );
  }
}

/**
 * A failed append may have left part of its bytes in the file, so the writes queued behind
 * it are refused rather than appended after a hole, and so is every later write.
 */
export function fail(h: Handle, job: WriteJob, error: unknown): void {
  job.reject(failed(h, error));
  next(h);
}

/**
 * Records a failed append or flush (of `op`) as the handle's write error, refuses the writes
 * queued behind it, and returns the failure as a FusioError.
 */
function failed(h: Handle, error: unknown, op = "writeAll"): FusioError {
  const failure = fromErrno(error, context(h, op));
  h.error ??= new FusioError(failure.kind, "an earlier write on this handle failed", {
    ...context(h, "writeAll"),
    cause: failure,
  });
  for (const queued of h.queue.splice(0)) queued.reject(h.error);
  return failure;
}

/** Zero-length reads (which must still reject past the end) and reads behind a runtime writer. */
async function readSlow<T extends Uint8Array>(h: Handle, buf: T, pos: number): Promise<T> {
  try {
    if (buf.length === 0) {
      if (pos > (await fstat(h.fd)).size) throw eof(h, 0, pos);
      return buf;
    }
    await flushWriter(h, "readExactAt");
    for (let filled = 0; filled < buf.length; ) {
      const read = await readAt(h.fd, buf, filled, pos + filled);
      if (read === 0) throw eof(h, buf.length, pos);
      filled += read;
    }
    return buf;
  } catch (error) {
    throw fromErrno(error, context(h, "readExactAt"));
  }
}

async function readToEndAt(h: Handle, pos: number): Promise<Uint8Array> {
  try {
    if (h.writer) await flushWriter(h, "readToEndAt");
    const size = (await fstat(h.fd)).size;
    if (pos > size) throw eof(h, 0, pos, "readToEndAt");
    // Uninitialised memory of exactly the right size; every byte handed out is read into.
    const out = new Uint8Array(Buffer.allocUnsafeSlow(size - pos).buffer, 0, size - pos);
    for (let filled = 0; filled < out.length; ) {
      const read = await readAt(h.fd, out, filled, pos + filled);
      if (read === 0) return out.subarray(0, filled); // truncated meanwhile
      filled += read;
    }
    return out;
  } catch (error) {
    throw fromErrno(error, context(h, "readToEndAt"));
  }
}

async function size(h: Handle): Promise<number> {
  if (h.writer) await flushWriter(h, "size");
  try {
    return (await fstat(h.fd)).size;
  } catch (error) {
    throw fromErrno(error, context(h, "size"));
  }
}

async function flush(h: Handle): Promise<void> {
  await flushWriter(h, "flush");
  if (h.error) throw h.error;
}

async function sync(h: Handle, level: SyncLevel): Promise<void> {
  if (level !== "data" && level !== "all") {
    throw new FusioError("InvalidArgument", `unknown sync level ${String(level)}`, context(h, "sync"));
  }
  await drain(h);
  await syncNow(h, level);
}

/** What `close` does before releasing the descriptor: end the runtime writer, sync if asked. */
export async function beforeClose(h: Handle, discard: boolean): Promise<void> {
  await h.writer?.close();
  if (h.syncOnClose && !discard) await syncNow(h, h.syncOnClose);
}

async function syncNow(h: Handle, level: SyncLevel): Promise<void> {
  try {
    await flushWriter(h, "sync");
    await fsyncFd(h.fd, level);
    // A new file survives a power cut only once its name is durable in its directory
    // (and, for directories `create` made, theirs in their parents).
    if (h.toSync) {
      for (const directory of directoriesToSync(...h.toSync)) await syncDir(directory);
      h.toSync = undefined;
    }
  } catch (error) {
    throw fromErrno(error, context(h, "sync"));
  }
  if (h.error) throw h.error;
}

/**
 * Drains the queue and has the runtime writer hand its buffer to the OS, before a read,
 * `size`, `flush` or `sync`. A failed flush lost bytes that writes had resolved for, so it
 * counts as a failed write: later writes are refused rather than appended after a hole.
 */
async function flushWriter(h: Handle, op: string): Promise<void> {
  await drain(h);
  try {
    await h.writer?.flush();
  } catch (error) {
    throw failed(h, error, op);
  }
}

/**
 * An append through the runtime writer with nothing queued ahead: when the writer takes the
 * bytes at once (Bun's FileSink copies them), it settles without a job, a promise of our own
 * or a turn of the queue.
 */
export function writeNow(h: Handle, data: Uint8Array): Promise<void> {
  let pending: Promise<void> | undefined;
  try {
    pending = h.writer?.write(data);
  } catch (error) {
    return Promise.reject(failed(h, error));
  }
  if (pending === undefined) return DONE;
  h.writing = true;
  return pending.then(
    () => next(h),
    (error: unknown) => {
      const failure = failed(h, error);
      next(h);
      throw failure;
    },
  );
}

/** Starts a queued append through the runtime writer: true when it is now in flight. */
export function begin(h: Handle, job: WriteJob): boolean {
  let pending: Promise<void> | undefined;
  try {
    pending = h.writer?.write(job.data);
  } catch (error) {
    job.reject(failed(h, error));
    return false;
  }
  if (pending === undefined) {
    job.resolve();
    return false;
  }
  pending.then(
    () => {
      job.resolve();
      next(h);
    },
    (error: unknown) => fail(h, job, error),
  );
  return true;
}

function readAt(fd: number, buf: Uint8Array, offset: number, position: number): Promise<number> {
  return call<number>(fs.read, fd, buf, offset, buf.length - offset, position);
}

function eof(h: Handle, length: number, pos: number, op = "readExactAt"): FusioError {
  return new FusioError(
    "UnexpectedEof",
    `the file ends before ${length} bytes at ${pos} could be read`,
    context(h, op),
  );
}

/**
 * What each call `rare` hands over runs, past its checks: a `writeAll` that reached here may
 * start and was not refused, so an earlier append failed and it is refused with that failure.
 */
const RARE: Record<RareCall, (h: Handle, ...args: never[]) => Promise<unknown>> = {
  readExactAt: readSlow,
  readToEndAt,
  size,
  writeAll: async (h) => {
    throw h.error;
  },
  flush,
  sync,
};

/**
 * The directories whose entries changed when `file` was created: its own directory, and when
 * `mkdir -p` made directories (the first being `made`), each of those and the one above them.
 */
function directoriesToSync(file: string, made: string | undefined): string[] {
  const out: string[] = [];
  const stop = made === undefined ? undefined : dirname(made);
  for (let current = dirname(file); ; current = dirname(current)) {
    out.push(current);
    if (stop === undefined || current === stop || dirname(current) === current) return out;
  }
}
