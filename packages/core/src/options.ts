import { FusioError } from "./errors.ts";
import type { CallOptions } from "./signal.ts";

/** Durability levels: `"data"` ~ fdatasync (contents), `"all"` ~ fsync (contents and metadata). */
export type SyncLevel = "data" | "all";

/**
 * How to open a file. fusio's rules:
 * - the default is read-only;
 * - `create` implies `write` (and makes parent directories where directories exist);
 * - `truncate` implies `write` and starts from empty;
 * - `write` without `truncate` **appends** to the existing content (on object stores this is a
 *   server-side splice or a re-upload, done at close).
 */
export interface OpenOptions extends CallOptions {
  /** Allow reads through the handle. Defaults to true. */
  read?: boolean | undefined;
  /** Allow writes through the handle. Defaults to false; implied by `create` and `truncate`. */
  write?: boolean | undefined;
  /** Create the file when it is missing. Without it a missing path rejects `NotFound`. */
  create?: boolean | undefined;
  /** Discard existing content. */
  truncate?: boolean | undefined;
  /**
   * Make `close` a durability barrier at this level. Rejects `Unsupported` at open on
   * backends whose `capabilities.sync` lacks the level.
   */
  syncOnClose?: SyncLevel | undefined;
}

/** {@link OpenOptions} with fusio's rules applied; what backends branch on. */
export interface NormalizedOpenOptions {
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  readonly truncate: boolean;
  /** `write && !truncate`: new bytes go after the existing content. */
  readonly append: boolean;
  readonly syncOnClose: SyncLevel | undefined;
}

/**
 * Applies fusio's open rules. Every backend calls this so that all of them agree.
 * @throws FusioError `InvalidArgument` for contradictions (`write: false` with `create` or
 *   `truncate`, nothing readable or writable, `syncOnClose` without write, an unknown level).
 */
export function normalizeOpenOptions(options: OpenOptions = {}): NormalizedOpenOptions {
  const fail = (message: string): never => {
    throw new FusioError("InvalidArgument", message, { op: "open" });
  };
  if (typeof options !== "object" || options === null) fail("open options must be an object");
  const create = options.create === true;
  const truncate = options.truncate === true;
  const write = options.write === true || create || truncate;
  const read = options.read !== false;
  const syncOnClose = options.syncOnClose;
  if (options.write === false && write) fail("`create` and `truncate` need `write`");
  if (!read && !write) fail("a file must be opened for reading, writing or both");
  if (syncOnClose !== undefined && syncOnClose !== "data" && syncOnClose !== "all") {
    fail(`unknown sync level ${String(syncOnClose)}`);
  }
  if (syncOnClose && !write) fail("`syncOnClose` needs `write`");
  return { read, write, create, truncate, append: write && !truncate, syncOnClose };
}
