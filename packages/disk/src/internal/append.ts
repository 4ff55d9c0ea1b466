// Appends of an open file: a queue that applies writes in call order, also when they are issued
// without waiting, on the callback `fs.write` of an O_APPEND descriptor or through a runtime's
// own writer (Bun's FileSink). A failed append may have left part of its bytes in the file, so
// the writes behind it, and every later one, are refused rather than appended after a hole.
import { abortError, type CallOptions, checkBytes, checkFileCall, FusioError, fileContext } from "@fusio/core";
import { fromErrno } from "./errors.ts";
import type { Handle, WriteJob } from "./handle.ts";
import { fs, MAX_IO } from "./io.ts";

const DONE: Promise<void> = Promise.resolve();

/** Appends `data` after every write issued before it; the call's checks have passed. */
export function append(h: Handle, data: Uint8Array, options: CallOptions | undefined): Promise<void> {
  // A runtime writer may take the bytes at once, without a job or a turn of the queue.
  if (h.writer && !h.writing && data.length > 0) return writeNow(h, data);
  return new Promise<void>((resolve, reject) => {
    const job: WriteJob = { data, signal: options?.signal, resolve, reject };
    if (h.writing) {
      h.queue.push(job);
    } else {
      h.writing = true;
      if (!begin(h, job)) next(h);
    }
  });
}

/**
 * Why a `writeAll` may not start, as its rejection: invalid `data`, then core's call checks
 * (aborted, closed, not opened for writing), then an earlier failed append.
 */
export async function refuseWrite(h: Handle, data: unknown, options: CallOptions | undefined): Promise<never> {
  const context = fileContext(h.kind, "writeAll", h.path);
  checkBytes(data, "data", context);
  checkFileCall(h, "write", options?.signal, context);
  throw h.error;
}

/** Resolves once every write issued so far has been applied. */
export function drain(h: Handle): Promise<void> {
  return h.writing ? new Promise<void>((resolve) => h.drained.push(resolve)) : DONE;
}

/**
 * Drains the queue and has the runtime writer hand its buffer to the OS, before a read,
 * `size`, `flush` or `sync` (of `op`). A failed flush lost bytes that writes had resolved for,
 * so it counts as a failed write.
 */
export async function flushWriter(h: Handle, op: string): Promise<void> {
  await drain(h);
  try {
    await h.writer?.flush();
  } catch (error) {
    throw failed(h, error, op);
  }
}

/** Starts `job`: true when it is now in flight, false when it settled at once. */
function begin(h: Handle, job: WriteJob): boolean {
  const { data, signal } = job;
  if (signal?.aborted) {
    // Aborted while queued: it never started, so it has no effect.
    job.reject(abortError(signal, fileContext(h.kind, "writeAll", h.path)));
  } else if (data.length === 0) {
    job.resolve();
  } else if (h.writer) {
    return beginThroughWriter(h, job);
  } else {
    fs.write(h.fd, data, 0, Math.min(data.length, MAX_IO), null, (error, written) =>
      wrote(h, job, written ?? 0, error),
    );
    return true;
  }
  return false;
}

/** Continues a short append (or settles it); `written` bytes of the job are written. */
function wrote(h: Handle, job: WriteJob, written: number, error: NodeJS.ErrnoException | null): void {
  const { data } = job;
  if (error) {
    fail(h, job, error);
  } else if (written < data.length) {
    fs.write(h.fd, data, written, Math.min(data.length - written, MAX_IO), null, (nextError, more) =>
      wrote(h, job, written + (more ?? 0), nextError),
    );
  } else {
    job.resolve();
    next(h);
  }
}

/** Starts the next queued write (a loop, not recursion: jobs may settle at once). */
function next(h: Handle): void {
  for (let job = h.queue.shift(); job !== undefined; job = h.queue.shift()) {
    if (begin(h, job)) return;
  }
  h.writing = false;
  if (h.drained.length > 0) {
    const waiters = h.drained;
    h.drained = [];
    for (const wake of waiters) wake();
  }
}

/** Rejects a failed append, then moves the queue on (which refuses what waits behind it). */
function fail(h: Handle, job: WriteJob, error: unknown): void {
  job.reject(failed(h, error));
  next(h);
}

/**
 * Records a failed append or flush (of `op`) as the handle's write error, refuses the writes
 * queued behind it, and returns the failure as a FusioError.
 */
function failed(h: Handle, error: unknown, op = "writeAll"): FusioError {
  const failure = fromErrno(error, fileContext(h.kind, op, h.path));
  h.error ??= new FusioError(failure.kind, "an earlier write on this handle failed", {
    ...fileContext(h.kind, "writeAll", h.path),
    cause: failure,
  });
  for (const queued of h.queue.splice(0)) queued.reject(h.error);
  return failure;
}

/**
 * An append through the runtime writer with nothing queued ahead: when the writer takes the
 * bytes at once (Bun's FileSink copies them), it settles without a job, a promise of our own
 * or a turn of the queue.
 */
function writeNow(h: Handle, data: Uint8Array): Promise<void> {
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
function beginThroughWriter(h: Handle, job: WriteJob): boolean {
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
