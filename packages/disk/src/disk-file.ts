import {
  abortError,
  type CallOptions,
  checkFileCall,
  checkPosition,
  type File,
  FusioError,
  fileContext,
  type Path,
  type SyncLevel,
} from "@fusio/core";
import type { DiskWriter } from "./disk-writer.ts";
import { append, drain, flushWriter, refuseWrite } from "./internal/append.ts";
import { fromErrno } from "./internal/errors.ts";
import { type Created, done, type Handle } from "./internal/handle.ts";
import { closeFd, fs, MAX_IO } from "./internal/io.ts";
import { readExact, readMore, readToEnd, sizeOf } from "./internal/read.ts";
import { syncNow } from "./internal/sync.ts";

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
  readonly created: Created | undefined;
  readonly writer: DiskWriter | undefined;
}

/**
 * An open file on local disk: positional reads straight into the caller's buffer with the
 * callback `fs.read` on the descriptor (concurrent reads run concurrently), and appends with
 * the callback `fs.write` on a descriptor opened with O_APPEND (or the runtime's own writer),
 * queued so that writes issued without waiting are applied in call order.
 *
 * Every call decides whether it may start when it is made: a `close` issued after it does not
 * refuse it, and waits for it before releasing the descriptor.
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
      open: { read: init.read, write: init.write },
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
    // The common case, in one test: valid arguments, a plain handle (see Handle), no fired
    // signal, a buffer one `fs.read` can fill. Everything else, and its errors, is `readExact`'s
    // (which reads a buffer over MAX_IO in pieces).
    if (
      !(
        buf instanceof Uint8Array &&
        buf.length > 0 &&
        buf.length <= MAX_IO &&
        h.plain &&
        Number.isSafeInteger(pos) &&
        pos >= 0
      ) ||
      options?.signal?.aborted
    ) {
      return readExact(h, buf, pos, options);
    }
    const length = buf.length;
    h.busy++;
    // Callbacks are inline and anonymous: a named closure per call costs a `__name` wrapper
    // under transpilers that keep names (tsx, esbuild `keepNames`), ~10% of a 4 KiB read.
    return new Promise<T>((resolve, reject) => {
      fs.read(h.fd, buf, 0, length, pos, (error, read) => {
        if (read === length) {
          done(h);
          resolve(buf);
        } else {
          readMore(h, buf, pos, read ?? 0, read ?? 0, error, resolve, reject);
        }
      });
    });
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const h = this.#h;
    const context = fileContext(h.kind, "readToEndAt", h.path);
    checkPosition(pos, "pos", context);
    checkFileCall(h, "read", options?.signal, context);
    h.busy++;
    try {
      return await readToEnd(h, pos, context);
    } finally {
      done(h);
    }
  }

  async size(options?: CallOptions): Promise<number> {
    const h = this.#h;
    const context = fileContext(h.kind, "size", h.path);
    checkFileCall(h, undefined, options?.signal, context);
    h.busy++;
    try {
      return await sizeOf(h, context);
    } finally {
      done(h);
    }
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    const h = this.#h;
    if (!(data instanceof Uint8Array) || h.closed || !h.open.write || h.error || options?.signal?.aborted) {
      return refuseWrite(h, data, options);
    }
    return append(h, data, options);
  }

  async flush(options?: CallOptions): Promise<void> {
    const h = this.#h;
    checkFileCall(h, undefined, options?.signal, fileContext(h.kind, "flush", h.path));
    h.busy++;
    try {
      await flushWriter(h, "flush");
      if (h.error) throw h.error;
    } finally {
      done(h);
    }
  }

  async sync(level: SyncLevel = "all", options?: CallOptions): Promise<void> {
    const h = this.#h;
    const context = fileContext(h.kind, "sync", h.path);
    checkFileCall(h, undefined, options?.signal, context);
    h.busy++;
    try {
      if (level !== "data" && level !== "all") {
        throw new FusioError("InvalidArgument", `unknown sync level ${String(level)}`, context);
      }
      await syncNow(h, level, context);
    } finally {
      done(h);
    }
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
    const aborted = abortError(signal, fileContext(h.kind, "close", h.path));
    h.closing = shut(h, true).catch(() => undefined);
    return h.closing.then(() => Promise.reject(aborted));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Closes the descriptor once the writes and calls in flight are done, after ending the runtime
 * writer and, unless discarding, the sync `syncOnClose` asks for.
 */
async function shut(h: Handle, discard: boolean): Promise<void> {
  await drain(h);
  if (h.busy > 0) {
    await new Promise<void>((resolve) => {
      h.idle = resolve;
    });
  }
  let failure: unknown;
  try {
    await h.writer?.close();
    if (h.syncOnClose && !discard) await syncNow(h, h.syncOnClose, fileContext(h.kind, "sync", h.path));
  } catch (error) {
    failure = error;
  }
  try {
    await closeFd(h.fd);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw fromErrno(failure, fileContext(h.kind, "close", h.path));
}
