import "@fusio/core/dispose";
import type { File } from "@fusio/core";
import type { FusioError } from "@fusio/core/errors";
import type { SyncLevel } from "@fusio/core/options";
import type { Path } from "@fusio/core/path";
import { type AbortSignalLike, abortError, type CallOptions, type ErrorContext } from "@fusio/core/signal";
import { closeFd, fs } from "./internal/io.ts";
import { loadMore, more, nativeError } from "./internal/lazy.ts";

/**
 * A runtime's own way of appending to an open file (e.g. Bun's FileSink), used instead of the
 * callback `fs.write` on the descriptor. `write` calls are made one at a time, in call order.
 */
export interface DiskWriter {
  /**
   * Appends all of `data`. May buffer; the bytes must be in the file after `flush`. Returns
   * `undefined` when it is done with `data` already (copied or written), so that the file
   * settles the append without a promise of the writer's; else a promise of completion.
   */
  write(data: Uint8Array): Promise<void> | undefined;
  /** Hands buffered bytes to the OS, so that readers and `fsync` see them. */
  flush(): Promise<void>;
  /** Releases the writer (not the descriptor, which the file closes itself). */
  close(): Promise<void>;
}

/** What {@link DiskFile} needs from the Fs that opened it. */
export interface DiskFileInit {
  readonly kind: string;
  readonly path: Path;
  readonly fd: number;
  readonly read: boolean;
  readonly write: boolean;
  readonly syncOnClose: SyncLevel | undefined;
  /**
   * Set when this open created the file: its absolute path, and the first directory `mkdir -p`
   * made for it, if any. The first sync fsyncs the directories whose entries changed.
   */
  readonly created: readonly [file: string, made: string | undefined] | undefined;
  readonly writer: DiskWriter | undefined;
}

/** @internal A job in a file's write queue. */
export interface WriteJob {
  readonly data: Uint8Array;
  readonly signal: AbortSignalLike | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * @internal The state of one open file. The calls on the hot path (positional reads, appends,
 * close) are in this module; the rest (./internal/file-calls.ts) is loaded at its first use.
 */
export interface Handle extends Omit<DiskFileInit, "created"> {
  /** Open for reading, not closed, no runtime writer: reads need no further checks. */
  plain: boolean;
  closed: boolean;
  closing: Promise<void> | undefined;
  /** Reads and other calls in flight; close waits for them before releasing the fd. */
  busy: number;
  idle: (() => void) | undefined;
  /** An append is in flight; later ones wait in `queue`. */
  writing: boolean;
  readonly queue: WriteJob[];
  drained: Array<() => void>;
  /** Set by the first failed append or flush: every later write is refused with it. */
  error: FusioError | undefined;
  /** `created`, until the first sync has fsynced the directories it changed. */
  toSync: DiskFileInit["created"];
}

/**
 * An open file on local disk: positional reads straight into the caller's buffer with the
 * callback `fs.read` on the descriptor (concurrent reads run concurrently), and appends with
 * the callback `fs.write` on a descriptor opened with O_APPEND, queued so that writes issued
 * without waiting are applied in call order.
 */
export class DiskFile implements File {
  readonly path: Path;
  readonly #h: Handle;

  /** @internal Use `fs.open`. */
  constructor(init: DiskFileInit) {
    this.path = init.path;
    // Every field named (no spread), so that all handles share one compact shape.
    this.#h = {
      kind: init.kind,
      path: init.path,
      fd: init.fd,
      read: init.read,
      write: init.write,
      syncOnClose: init.syncOnClose,
      writer: init.writer,
      plain: init.read && !init.writer,
      closed: false,
      closing: undefined,
      busy: 0,
      idle: undefined,
      writing: false,
      queue: [],
      drained: [],
      error: undefined,
      toSync: init.created,
    };
  }

  readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    const h = this.#h;
    const length = buf?.length;
    // The common case in one test each: valid arguments; open for reading, no signal, no
    // runtime writer, not empty. Anything else (and its errors) goes to the lazily loaded part.
    if (
      !(buf instanceof Uint8Array && Number.isSafeInteger(pos) && pos >= 0) ||
      ((!h.plain || options?.signal !== undefined || length === 0) &&
        (length === 0 || h.writer || refusal(h, "read", options)))
    ) {
      return rare(h, "readExactAt", "read", options, buf, pos);
    }
    h.busy++;
    // Callbacks are inline and anonymous: a named closure per call costs a `__name` wrapper
    // under transpilers that keep names (tsx, esbuild `keepNames`), ~10% of a 4 KiB read.
    return new Promise<T>((resolve, reject) => {
      fs.read(h.fd, buf, 0, length, pos, (error, read) => {
        if (read === length) {
          if (--h.busy === 0 && h.idle) h.idle();
          resolve(buf);
        } else {
          // A short read (the end of the file, or a signal): continued by the lazily loaded part.
          loadMore().then((calls) => calls.readMore(h, buf, pos, read ?? 0, read ?? 0, error, resolve, reject));
        }
      });
    });
  }

  readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    return rare(this.#h, "readToEndAt", "read", options, pos);
  }

  size(options?: CallOptions): Promise<number> {
    return rare(this.#h, "size", undefined, options);
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const h = this.#h;
    if (!(data instanceof Uint8Array) || refusal(h, "write", options) || h.error) {
      // Refused (after an earlier failed append: with that failure).
      return rare(h, "writeAll", "write", options, data);
    }
    // A runtime writer may take the bytes at once, without a job or a turn of the queue.
    if (h.writer && !h.writing && data.length > 0) return (more as NonNullable<typeof more>).writeNow(h, data);
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

  flush(options?: CallOptions): Promise<void> {
    return rare(this.#h, "flush", undefined, options);
  }

  sync(level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    return rare(this.#h, "sync", undefined, options, level);
  }

  /**
   * With an aborted signal the file is discarded: closed all the same (after the calls in
   * flight, without the sync of `syncOnClose`), and the call rejects `Aborted`. Bytes already
   * appended stay, as local disk makes them visible before close; a later `close` resolves.
   */
  close(options?: CallOptions): Promise<void> {
    const h = this.#h;
    if (h.closing) return h.closing;
    const signal = options?.signal;
    h.closed = true;
    h.plain = false;
    if (!signal?.aborted) {
      h.closing = shut(h, false);
      return h.closing;
    }
    // Later closes resolve once the descriptor is released; this one reports the abort.
    const aborted = abortError(signal, context(h, "close"));
    h.closing = shut(h, true).catch(() => undefined);
    return h.closing.then(() => Promise.reject(aborted));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** @internal */
export function context(h: Handle, op: string): ErrorContext {
  return { op, path: h.path.raw, backend: h.kind };
}

/**
 * @internal Why a call must not start (its error's kind; the lazily loaded part makes the
 * error), or undefined. Taken when the call is made: a later close does not refuse it.
 */
export type Refusal = "Aborted" | "Closed" | "PermissionDenied";

function refusal(h: Handle, access: Access, options: CallOptions | undefined): Refusal | undefined {
  if (options?.signal?.aborted) return "Aborted";
  if (h.closed) return "Closed";
  return (access === "read" ? !h.read : access === "write" && !h.write) ? "PermissionDenied" : undefined;
}

/** @internal What a call needs the handle opened for. */
export type Access = "read" | "write" | undefined;

/** @internal The calls {@link rare} hands to the lazily loaded part. */
export type RareCall = "readExactAt" | "readToEndAt" | "size" | "writeAll" | "flush" | "sync";

/**
 * Runs the call `op` (with the arguments after `h`) in the lazily loaded part, loading it
 * first. Whether it may start is decided now, and a call that may is counted as in flight, so
 * that `close` waits for it; the argument checks (which come first) and the errors are made
 * there. Typed `never` to fit every method's own result type.
 */
function rare(
  h: Handle,
  op: RareCall,
  access: Access,
  options: CallOptions | undefined,
  ...args: unknown[]
): Promise<never> {
  const refused = refusal(h, access, options);
  if (!refused) h.busy++;
  return loadMore().then((calls) => calls.settle(h, op, access, refused, options, args));
}

/** @internal A call that counted itself in flight has settled. */
export function done(h: Handle): void {
  if (--h.busy === 0 && h.idle) h.idle();
}

/** Starts `job`: true when it is now in flight, false when it settled at once. */
function begin(h: Handle, job: WriteJob): boolean {
  const { data, signal } = job;
  if (signal?.aborted) {
    // Aborted while queued: it never started, so it has no effect.
    job.reject(abortError(signal, context(h, "writeAll")));
  } else if (data.length === 0) {
    job.resolve();
  } else if (h.writer) {
    return (more as NonNullable<typeof more>).begin(h, job);
  } else {
    fs.write(h.fd, data, 0, data.length, null, (error, written) => wrote(h, job, written ?? 0, error));
    return true;
  }
  return false;
}

/** Continues a short append (or settles it); `done` bytes of the job are written. */
function wrote(h: Handle, job: WriteJob, written: number, error: NodeJS.ErrnoException | null): void {
  const { data } = job;
  if (error) {
    loadMore().then((calls) => calls.fail(h, job, error));
  } else if (written < data.length) {
    fs.write(h.fd, data, written, data.length - written, null, (nextError, more) =>
      wrote(h, job, written + (more ?? 0), nextError),
    );
  } else {
    job.resolve();
    next(h);
  }
}

/** @internal Starts the next queued write (a loop, not recursion: jobs may settle at once). */
export function next(h: Handle): void {
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

/** @internal Resolves once every write issued so far has been applied. */
export function drain(h: Handle): Promise<void> {
  return h.writing ? new Promise<void>((resolve) => h.drained.push(resolve)) : Promise.resolve();
}

/** Closes the descriptor once the calls in flight are done. */
async function shut(h: Handle, discard: boolean): Promise<void> {
  await drain(h);
  if (h.busy > 0) {
    await new Promise<void>((resolve) => {
      h.idle = resolve;
    });
  }
  let failure: unknown;
  if (h.writer || (h.syncOnClose && !discard)) {
    try {
      await (more ?? (await loadMore())).beforeClose(h, discard);
    } catch (error) {
      failure = error;
    }
  }
  try {
    await closeFd(h.fd);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw await nativeError(failure, context(h, "close"));
}
