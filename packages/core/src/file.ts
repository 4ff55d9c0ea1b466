import type { SyncLevel } from "./options.ts";
import type { Path } from "./path.ts";
import type { CallOptions } from "./signal.ts";

/**
 * Random, exact reads. Positions and lengths are non-negative safe integers; anything else
 * rejects `InvalidArgument`. Reads on a closed handle reject `Closed`; on a handle opened
 * without `read`, `PermissionDenied`.
 */
export interface Read {
  /**
   * Fills all of `buf` with bytes `[pos, pos + buf.length)` and resolves to `buf` itself (local
   * backends read straight into it, no copy). A zero-length read at `pos <= size` resolves
   * without I/O.
   * @throws FusioError `UnexpectedEof` when the file ends before `buf` is full; the caller must
   *   then treat `buf` as unspecified (no partial result is promised).
   */
  readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T>;

  /**
   * A new array with bytes `[pos, size)`. `pos == size` resolves to an empty array.
   * @throws FusioError `UnexpectedEof` when `pos > size`.
   */
  readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array>;

  /** The current size in bytes (what a reader of this handle sees). */
  size(options?: CallOptions): Promise<number>;
}

/**
 * Sequential writes. Writes on a closed handle reject `Closed`; on a handle opened without
 * `write`, `PermissionDenied`. Calls on one handle are applied in the order they were made.
 */
export interface Write {
  /**
   * Appends all of `data` after what was written before. The caller must not change `data`
   * until the promise settles; a backend that keeps the bytes longer copies them.
   * @throws FusioError `InvalidArgument` when `data` is not a `Uint8Array`.
   */
  writeAll(data: Uint8Array, options?: CallOptions): Promise<void>;

  /** Hands buffered bytes on to the backend. Not a durability barrier (see `File.sync`). */
  flush(options?: CallOptions): Promise<void>;

  /**
   * Finishes the file: after it resolves, new readers see the whole content. Idempotent: a
   * second call resolves without effect. On object stores this publishes the object; if it
   * rejects, nothing partial becomes visible.
   *
   * With an aborted `signal` it discards instead: the handle is closed all the same, object
   * stores abort the pending upload and publish nothing, and the call rejects `Aborted`. This
   * is how a caller gives up on a half-written file.
   */
  close(options?: CallOptions): Promise<void>;
}

/** An open file: a path, random reads, sequential writes and durability. `await using` closes it. */
export interface File extends Read, Write, AsyncDisposable {
  /** The path it was opened at. */
  readonly path: Path;

  /**
   * Durability barrier. `"data"` ~ fdatasync, `"all"` ~ fsync (the default); on object stores
   * `"data"` means pending parts are uploaded (durable, not yet visible).
   * @throws FusioError `Unsupported` when the backend's `capabilities.sync` lacks `level`.
   */
  sync(level?: SyncLevel, options?: CallOptions): Promise<void>;
}
