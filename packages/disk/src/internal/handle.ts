import type { AbortSignalLike, FusioError, Path, SyncLevel } from "@fusio/core";
import type { DiskWriter } from "../disk-writer.ts";

/**
 * Set when an open created its file: the file's absolute path, and the first directory
 * `mkdir -p` made for it, if any. The first sync fsyncs the directories whose entries changed.
 */
export type Created = readonly [file: string, made: string | undefined];

/** A job in a file's write queue. */
export interface WriteJob {
  readonly data: Uint8Array;
  readonly signal: AbortSignalLike | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/** The state of one open file, shared by the modules that implement its calls. */
export interface Handle {
  /** `Fs.kind`, put on errors. */
  readonly kind: string;
  readonly path: Path;
  readonly fd: number;
  /** What the handle was opened for (core's `checkFileCall` reads it). */
  readonly open: { readonly read: boolean; readonly write: boolean };
  readonly syncOnClose: SyncLevel | undefined;
  /** The runtime's appender, if it has one; else appends use `fs.write` on the descriptor. */
  readonly writer: DiskWriter | undefined;
  /** Open for reading, not closed, no runtime writer: a read needs no further check. */
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
  /** What the open created, until the first sync has fsynced the directories it changed. */
  toSync: Created | undefined;
}

/** A call that counted itself in flight (`busy`) has settled; wakes a waiting `close`. */
export function done(h: Handle): void {
  if (--h.busy === 0 && h.idle) h.idle();
}
