import { constants } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  beginCall,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  type ErrorContext,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
  throwIfAborted,
} from "@fusio/core";
import { DiskFile } from "./disk-file.ts";
import type { DiskWriter } from "./disk-writer.ts";
import { copyWithin, linkWithin } from "./internal/copy-link.ts";
import { errnoCode, fromErrno, isMissing } from "./internal/errors.ts";
import type { Created } from "./internal/handle.ts";
import { closeFd, fstat, lstat, mkdirs, openFd, stat, unlink } from "./internal/io.ts";
import { walk } from "./internal/list.ts";
import { readWholeFile } from "./internal/read-file.ts";
import { Root } from "./internal/root.ts";

/** Options of a local-disk Fs (`NodeFs`, `BunFs`, `DenoFs`). */
export interface DiskFsOptions {
  /**
   * The directory every path resolves under (a path or a `file:` URL). Created on first use
   * when missing.
   */
  root: string | URL;
  /**
   * Follow symbolic links inside the root even when they lead outside it. Off by default:
   * then any operation whose target a link would take outside the root rejects
   * `PermissionDenied`, and `list` skips such links.
   */
  followSymlinksOutsideRoot?: boolean | undefined;
  /**
   * How long, in milliseconds, a CAS lock file written by another host (on a shared file
   * system) is honoured before it is taken as left by a crash. Locks of this host are judged
   * by their owner's pid instead. Default 30 000.
   */
  casLeaseMs?: number | undefined;
}

/** What a runtime package changes about the engine: its name, and its fastest appender. */
export interface DiskDriver {
  /** `Fs.kind`, also put on errors: `"node"`, `"bun"`, `"deno"`. */
  readonly kind: string;
  /**
   * Makes the appender of a handle opened for writing, on its descriptor (opened with
   * O_APPEND). Without it, appends use the callback `fs.write` on the descriptor.
   */
  openWriter?(fd: number): DiskWriter;
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_TRUNC } = constants;

const CAPABILITIES: Capabilities = Object.freeze({
  link: true,
  copy: true,
  cas: true,
  directories: true,
  visibleBeforeClose: true,
  sync: Object.freeze(["data", "all"] as const),
});

/**
 * A local directory as a fusio {@link CasFs}, on the `node:fs` API that Node, Bun and Deno all
 * provide. `NodeFs`, `BunFs` and `DenoFs` are this class with their own {@link DiskDriver}.
 *
 * ```ts
 * class BunFs extends DiskFs {
 *   constructor(options: DiskFsOptions) {
 *     super(options, { kind: "bun", openWriter: (fd) => new FileSinkWriter(fd) });
 *   }
 * }
 * ```
 */
export class DiskFs implements CasFs {
  readonly kind: string;
  readonly id: string;
  readonly capabilities: Capabilities = CAPABILITIES;
  /** The absolute root directory. */
  readonly root: string;
  readonly #root: Root;
  readonly #driver: DiskDriver;

  constructor(options: DiskFsOptions, driver: DiskDriver) {
    const root = options?.root;
    if (typeof root !== "string" && !(root instanceof URL)) {
      throw new FusioError("InvalidArgument", "`root` must be a directory path or a file: URL", {
        op: "constructor",
        backend: driver.kind,
      });
    }
    this.#root = new Root(
      root instanceof URL ? fileURLToPath(root) : root,
      driver.kind,
      options.followSymlinksOutsideRoot === true,
      options.casLeaseMs,
    );
    this.#driver = driver;
    this.kind = driver.kind;
    this.root = this.#root.path;
    this.id = `${driver.kind}:${this.root}`;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context } = beginCall(this.kind, "open", path);
    const open = normalizeOpenOptions(options);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const absolute = await this.#root.resolve(key, context);
    const flags = (open.write ? (open.read ? O_RDWR : O_WRONLY) | O_APPEND : O_RDONLY) | (open.truncate ? O_TRUNC : 0);
    let fd: number;
    let created: Created | undefined;
    try {
      if (open.create) [fd, created] = await create(absolute, flags);
      else fd = await openFd(absolute, flags);
    } catch (error) {
      throw fromErrno(error, context);
    }
    if (!open.write) await refuseDirectory(fd, context);
    return new DiskFile({
      kind: this.kind,
      path: key,
      fd,
      read: open.read,
      write: open.write,
      syncOnClose: open.syncOnClose,
      created,
      writer: open.write ? this.#driver.openWriter?.(fd) : undefined,
    });
  }

  /**
   * The whole file with one open, fstat, read and close (a handle would take an fstat more);
   * the same bytes and errors as `open`, `readToEndAt(0)` and `close`, inside the root as
   * every other call.
   */
  readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    return readWholeFile(this.#root, path, options);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "stat", path, options?.signal);
    const absolute = await this.#root.resolve(key, context);
    try {
      const stats = await stat(absolute);
      return stats.isDirectory()
        ? { path: key, size: 0, isDirectory: true, lastModified: stats.mtime }
        : { path: key, size: stats.size, lastModified: stats.mtime };
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "list", dir, options.signal);
    const absolute = await this.#root.resolve(key, context);
    try {
      yield* walk(this.#root, key, absolute, options.recursive === true, options.signal, context);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = beginCall(this.kind, "createDirAll", path, options?.signal);
    const absolute = await this.#root.resolve(key, context);
    try {
      await mkdirs(absolute);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = beginCall(this.kind, "remove", path, options?.signal);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    // Only the directory is checked: removing a link itself never touches what it points to.
    await this.#root.resolve(key.parent(), context);
    const absolute = this.#root.join(key);
    try {
      await unlink(absolute);
    } catch (error) {
      if (isMissing(error)) return;
      // Linux answers EISDIR for a directory, macOS EPERM.
      if (errnoCode(error) === "EPERM" && (await lstat(absolute).catch(() => undefined))?.isDirectory()) {
        throw new FusioError("IsADirectory", "the path is a directory", { ...context, cause: error });
      }
      throw fromErrno(error, context);
    }
  }

  copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return copyWithin(this.#root, from, to, options);
  }

  link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return linkWithin(this.#root, from, to, options);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    return (await loadCas()).loadWithTag(this.#root, path, options);
  }

  /**
   * Atomic across processes and crash-safe: the content is written to a temp file and
   * fsynced, then published under a lock file with link (ifNotExists) or rename (ifMatch),
   * and the directory is fsynced. `contentType` and `metadata` are not stored on local disk.
   */
  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    return (await loadCas()).putConditional(this.#root, path, data, when, options);
  }
}

type Cas = typeof import("./internal/cas.ts");
let cas: Promise<Cas> | undefined;

/**
 * The conditional writes and their cross-process lock, loaded at the first `loadWithTag` or
 * `putConditional` (with node:crypto, node:os and node:worker_threads): a program that never
 * uses them does not load them.
 */
function loadCas(): Promise<Cas> {
  cas ??= import("./internal/cas.ts");
  return cas;
}

/**
 * Opens `path` with `flags | O_CREAT`, making its parent directories: the descriptor, and when
 * this open created the file, what it created (see `DiskFileInit.created`).
 */
async function create(path: string, flags: number): Promise<[number, Created | undefined]> {
  try {
    return [await openFd(path, flags), undefined]; // the common case: it exists
  } catch (error) {
    if (errnoCode(error) !== "ENOENT") throw error;
  }
  const made = await mkdirs(dirname(path));
  try {
    return [await openFd(path, flags | O_CREAT | O_EXCL), [path, made]];
  } catch (error) {
    // Created meanwhile, or a dangling link (checked to stay inside the root) to follow.
    if (errnoCode(error) !== "EEXIST") throw error;
    return [await openFd(path, flags | O_CREAT), undefined];
  }
}

/**
 * A read-only open of a directory succeeds on POSIX (a write open fails EISDIR): refuse it,
 * releasing the descriptor.
 */
async function refuseDirectory(fd: number, context: ErrorContext): Promise<void> {
  let directory: boolean;
  try {
    directory = (await fstat(fd)).isDirectory();
  } catch (error) {
    await closeFd(fd).catch(() => undefined);
    throw fromErrno(error, context);
  }
  if (directory) {
    await closeFd(fd).catch(() => undefined);
    throw new FusioError("IsADirectory", "the path is a directory", context);
  }
}
