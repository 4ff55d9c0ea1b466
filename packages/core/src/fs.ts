import type { File } from "./file.ts";
import type { OpenOptions, SyncLevel } from "./options.ts";
import type { Path } from "./path.ts";
import type { CallOptions } from "./signal.ts";

/**
 * What a backend can do. Each flag tells the truth: a feature that is off rejects
 * `Unsupported`, never pretends (the conformance suite checks this).
 */
export interface Capabilities {
  /** `Fs.link` makes hard links. */
  readonly link: boolean;
  /** `Fs.copy` works (server-side or native where possible). */
  readonly copy: boolean;
  /** The Fs implements {@link CasFs}. */
  readonly cas: boolean;
  /** Directories exist on their own (local disk); object stores only imply them from keys. */
  readonly directories: boolean;
  /** Bytes written are visible to other readers before `close`. */
  readonly visibleBeforeClose: boolean;
  /** The levels `File.sync` and `OpenOptions.syncOnClose` honour; empty when none. */
  readonly sync: readonly SyncLevel[];
}

/** What `stat` and `list` report about one entry. */
export interface FileMeta {
  readonly path: Path;
  /** Size in bytes; 0 for directories. */
  readonly size: number;
  /** True for a directory (local disk) or an implied directory / common prefix (object stores). */
  readonly isDirectory?: boolean;
  readonly lastModified?: Date;
  /** The backend's entity tag, where it has one (opaque, compared verbatim). */
  readonly etag?: string;
}

/** Options of {@link Fs.list}. */
export interface ListOptions extends CallOptions {
  /**
   * Descend into sub-directories and yield every file below `dir` (no directory entries).
   * Without it, only the direct children are yielded, sub-directories with `isDirectory: true`.
   */
  recursive?: boolean | undefined;
}

/**
 * A file system: local disk, memory, an object store bucket, ... Every method accepts a
 * {@link Path} or a string (which goes through `Path.parse`, rejecting `InvalidPath`), and an
 * optional `signal` (rejecting `Aborted` with no effect once it has fired).
 */
export interface Fs {
  /** The backend: `"memory"`, `"node"`, `"s3"`, ... (free text for third parties). */
  readonly kind: string;
  /** Equal ids mean the same namespace, so a copy between them can stay server-side. */
  readonly id: string;
  readonly capabilities: Capabilities;

  /**
   * Opens a file (read-only by default; see {@link OpenOptions} for create/truncate/append).
   * @throws FusioError `NotFound` when the path is missing and `create` is not set (object
   *   stores check at open), `IsADirectory`, `PermissionDenied`, `InvalidArgument` for
   *   contradictory options, `Unsupported` for a `syncOnClose` level the backend lacks.
   */
  open(path: Path | string, options?: OpenOptions): Promise<File>;

  /**
   * Optional: the whole content of the file at `path` in one call, for backends that can do it
   * cheaper than through a handle (local disk: one open, stat, read and close; an object store:
   * one GET without the HEAD of `open`). Callers use `readFile` of `@fusio/util`, which calls it
   * when present and otherwise opens the file.
   *
   * Same bytes and same errors as `open(path)`, `readToEndAt(0)` and `close()` on this Fs: a new
   * array the caller owns, holding what a handle opened now would read to its end. A signal
   * that has fired before the bytes are read rejects `Aborted` (nothing is changed either way).
   *
   * ```ts
   * async readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
   *   const { path: key, context } = beginReadFile(this.kind, path, options?.signal);
   *   const entry = this.#entries.get(key.raw);
   *   if (entry === undefined) throw new FusioError("NotFound", "no such file", context);
   *   return entry.bytes.slice();
   * }
   * ```
   * @throws FusioError `NotFound` when missing, `IsADirectory` for the root (and for a
   *   directory, where directories exist), `PermissionDenied`, `InvalidPath`, `Aborted`.
   */
  readFile?(path: Path | string, options?: CallOptions): Promise<Uint8Array>;

  /**
   * Metadata of one entry.
   * @throws FusioError `NotFound` when missing.
   */
  stat(path: Path | string, options?: CallOptions): Promise<FileMeta>;

  /**
   * The entries under `dir`, treated as a directory (`a` never matches `a2/x`), in
   * lexicographic order of their path (code point order, as {@link Path.compare}). Pagination
   * is hidden; stopping the iteration stops fetching. A `dir` that does not exist, or that
   * names a file, yields nothing.
   */
  list(dir: Path | string, options?: ListOptions): AsyncIterable<FileMeta>;

  /** Creates a directory and its parents; a no-op where directories do not exist. */
  createDirAll(path: Path | string, options?: CallOptions): Promise<void>;

  /**
   * Removes a file. A missing path resolves.
   * @throws FusioError `IsADirectory` for a directory.
   */
  remove(path: Path | string, options?: CallOptions): Promise<void>;

  /**
   * Copies `from` to `to` within this Fs, replacing `to`. The copy is a snapshot: later writes
   * to `from` do not show in `to`.
   * @throws FusioError `NotFound` when `from` is missing; `Unsupported` when `capabilities.copy` is off.
   */
  copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void>;

  /**
   * Hard-links `to` to the file at `from`.
   * @throws FusioError `Unsupported` when `capabilities.link` is off; `NotFound`; `AlreadyExists`.
   */
  link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void>;
}

/** The condition of {@link CasFs.putConditional}. */
export type CasCondition = { readonly ifNotExists: true } | { readonly ifMatch: string };

/** Options of {@link CasFs.putConditional}. */
export interface PutConditionalOptions extends CallOptions {
  /** Stored with the object where the backend keeps content types. */
  contentType?: string | undefined;
  /** User metadata stored with the object where the backend keeps it. */
  metadata?: Readonly<Record<string, string>> | undefined;
}

/**
 * Conditional writes (compare-and-swap on whole objects). Tags are opaque strings compared
 * verbatim, and change on every write, plain writes included.
 */
export interface CasFs extends Fs {
  /** The whole content and its current tag, or `undefined` when the path is missing. */
  loadWithTag(path: Path | string, options?: CallOptions): Promise<{ data: Uint8Array; tag: string } | undefined>;

  /**
   * Replaces the whole content atomically if `when` holds, and resolves to the new tag.
   * Of concurrent writers holding the same tag, exactly one succeeds.
   * @throws FusioError `PreconditionFailed` when the object exists (`ifNotExists`), is
   *   missing or has another tag (`ifMatch`).
   */
  putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options?: PutConditionalOptions,
  ): Promise<string>;
}

/** True when `fs` supports conditional writes. */
export function isCasFs(fs: Fs): fs is CasFs {
  const candidate = fs as Partial<CasFs>;
  return (
    fs.capabilities.cas && typeof candidate.loadWithTag === "function" && typeof candidate.putConditional === "function"
  );
}
