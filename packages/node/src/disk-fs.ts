import fs from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
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
  toPath,
} from "@fusio/core";
import { DiskFile, type DiskWriter } from "./disk-file.ts";
import * as cas from "./internal/cas.ts";
import { errnoCode, fromErrno } from "./internal/errors.ts";
import { closeFd, copyFile, fstat, isMissing, link, lstat, mkdirs, openFd, stat, unlink } from "./internal/io.ts";
import { walk } from "./internal/list.ts";
import { Root } from "./internal/root.ts";

/** Options of a local-disk Fs (`NodeFs`, and the Bun and Deno ones built on it). */
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

/**
 * What a runtime package changes about the local-disk Fs (advanced; see `@fusio/node/disk`).
 */
export interface DiskDriver {
  /** `Fs.kind`, also put on errors: `"node"`, `"bun"`, `"deno"`. */
  readonly kind: string;
  /**
   * Makes the appender of a handle opened for writing, on its descriptor (opened with
   * O_APPEND). Without it, appends use the callback `fs.write` on the descriptor.
   */
  openWriter?(fd: number): DiskWriter;
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_TRUNC } = fs.constants;

/**
 * A local directory as a fusio {@link CasFs}. The shared implementation of `NodeFs` (and of the
 * Bun and Deno backends, which pass their own {@link DiskDriver}).
 */
export class DiskFs implements CasFs {
  readonly kind: string;
  readonly id: string;
  readonly capabilities: Capabilities = Object.freeze({
    link: true,
    copy: true,
    cas: true,
    directories: true,
    visibleBeforeClose: true,
    sync: Object.freeze(["data", "all"] as const),
  });
  /** The absolute root directory. */
  readonly root: string;
  readonly #root: Root;
  readonly #driver: DiskDriver;
  readonly #followOutside: boolean;
  readonly #leaseMs: number | undefined;

  constructor(options: DiskFsOptions, driver: DiskDriver) {
    const root = options?.root;
    if (typeof root !== "string" && !(root instanceof URL)) {
      throw new FusioError("InvalidArgument", "`root` must be a directory path or a file: URL", {
        op: "constructor",
        backend: driver.kind,
      });
    }
    this.#followOutside = options.followSymlinksOutsideRoot === true;
    this.#root = new Root(root instanceof URL ? fileURLToPath(root) : root, this.#followOutside);
    this.#driver = driver;
    this.#leaseMs = options.casLeaseMs;
    this.kind = driver.kind;
    this.root = this.#root.path;
    this.id = `${driver.kind}:${this.root}`;
  }

  #context(op: string, path: Path): ErrorContext {
    return { op, path: path.raw, backend: this.kind };
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const key = toPath(path);
    const context = this.#context("open", key);
    const open = normalizeOpenOptions(options);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const absolute = await this.#root.resolve(key, context);
    let flags = open.write ? (open.read ? O_RDWR : O_WRONLY) | O_APPEND : O_RDONLY;
    if (open.truncate) flags |= O_TRUNC;
    let fd: number;
    let newDirectories: string[] | undefined;
    try {
      if (open.create) {
        const made = await mkdirs(dirname(absolute));
        try {
          fd = await openFd(absolute, flags | O_CREAT | O_EXCL);
          newDirectories = directoriesToSync(absolute, made);
        } catch (error) {
          if (errnoCode(error) !== "EEXIST") throw error;
          fd = await openFd(absolute, flags | O_CREAT);
        }
      } else {
        fd = await openFd(absolute, flags);
      }
    } catch (error) {
      throw fromErrno(error, context);
    }
    try {
      // A read-only open of a directory succeeds on POSIX; refuse it here.
      if ((await fstat(fd)).isDirectory()) throw new FusioError("IsADirectory", "the path is a directory", context);
    } catch (error) {
      await closeFd(fd).catch(() => undefined);
      throw fromErrno(error, context);
    }
    return new DiskFile({
      kind: this.kind,
      path: key,
      fd,
      read: open.read,
      write: open.write,
      syncOnClose: open.syncOnClose,
      newDirectories,
      writer: open.write ? this.#driver.openWriter?.(fd) : undefined,
    });
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const key = toPath(path);
    const context = this.#context("stat", key);
    throwIfAborted(options?.signal, context);
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
    const key = toPath(dir);
    const context = this.#context("list", key);
    throwIfAborted(options.signal, context);
    const absolute = await this.#root.resolve(key, context);
    try {
      yield* walk(this.#root, this.#followOutside, key, absolute, options.recursive === true, options.signal, context);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    const context = this.#context("createDirAll", key);
    throwIfAborted(options?.signal, context);
    const absolute = await this.#root.resolve(key, context);
    try {
      await mkdirs(absolute);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    const context = this.#context("remove", key);
    throwIfAborted(options?.signal, context);
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

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    const target = toPath(to);
    const context = this.#context("copy", source);
    throwIfAborted(options?.signal, context);
    if (source.isRoot || target.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    const sourcePath = await this.#root.resolve(source, context);
    const targetPath = await this.#root.resolve(target, context);
    try {
      if ((await stat(sourcePath)).isDirectory()) {
        throw new FusioError("IsADirectory", "the source is a directory", context);
      }
      await mkdirs(dirname(targetPath));
      await copyFile(sourcePath, targetPath);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    const target = toPath(to);
    const context = this.#context("link", source);
    throwIfAborted(options?.signal, context);
    if (source.isRoot || target.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    const sourcePath = await this.#root.resolve(source, context);
    const targetPath = await this.#root.resolve(target, context);
    try {
      await mkdirs(dirname(targetPath));
      await link(sourcePath, targetPath);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const key = toPath(path);
    const context = this.#context("loadWithTag", key);
    throwIfAborted(options?.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    const absolute = await this.#root.resolve(key, context);
    try {
      return await cas.loadWithTag(absolute, context);
    } catch (error) {
      throw fromErrno(error, context);
    }
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
    const key = toPath(path);
    const context = this.#context("putConditional", key);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    const absolute = await this.#root.resolve(key, context);
    try {
      if ("ifNotExists" in when) await mkdirs(dirname(absolute));
      return await cas.putConditional(absolute, data, when, options.signal, context, this.#leaseMs);
    } catch (error) {
      throw fromErrno(error, context);
    }
  }
}

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
