import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type {
  CallOptions,
  Capabilities,
  CasCondition,
  CasFs,
  File,
  FileMeta,
  ListOptions,
  PutConditionalOptions,
} from "@fusio/core";
// The always-loaded code imports core's own entry points, not its index: a bundler that splits
// code would count every module the index re-exports as reached (see the core README).
import { FusioError } from "@fusio/core/errors";
import { normalizeOpenOptions, type OpenOptions } from "@fusio/core/options";
import { type Path, toPath } from "@fusio/core/path";
import { type AbortSignalLike, type ErrorContext, throwIfAborted } from "@fusio/core/signal";
import { DiskFile, type DiskFileInit, type DiskWriter } from "./disk-file.ts";
import { closeFd, codeOf, fs, fstat, isMissing, mkdirs, openFd, readlink, realpath } from "./internal/io.ts";
import { loadMore, nativeError } from "./internal/lazy.ts";

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

const CAPABILITIES: Capabilities = Object.freeze({
  link: true,
  copy: true,
  cas: true,
  directories: true,
  visibleBeforeClose: true,
  sync: Object.freeze(["data", "all"] as const),
});

/**
 * A local directory as a fusio {@link CasFs}. The shared implementation of `NodeFs` (and of the
 * Bun and Deno backends, which pass their own {@link DiskDriver}).
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
    const key = toPath(path);
    const open = normalizeOpenOptions(options);
    const [, context] = this.#root.start("open", key, options.signal);
    if (key.isRoot) throw (await loadMore()).refusalError("root", context);
    const absolute = await this.#root.resolve(key, context);
    const openWriter = open.write ? this.#driver.openWriter : undefined;
    if (openWriter) await loadMore(); // the appends through a runtime writer are in the lazy part
    const flags = (open.write ? (open.read ? O_RDWR : O_WRONLY) | O_APPEND : O_RDONLY) | (open.truncate ? O_TRUNC : 0);
    let fd: number;
    let created: DiskFileInit["created"];
    try {
      if (open.create) [fd, created] = await create(absolute, flags);
      else fd = await openFd(absolute, flags);
    } catch (error) {
      throw await nativeError(error, context);
    }
    if (!open.write) {
      // A read-only open of a directory succeeds on POSIX (a write open fails EISDIR): refuse it.
      try {
        if ((await fstat(fd)).isDirectory()) throw (await loadMore()).refusalError("directory", context);
      } catch (error) {
        await closeFd(fd).catch(() => undefined);
        throw await nativeError(error, context);
      }
    }
    return new DiskFile({
      kind: this.kind,
      path: key,
      fd,
      read: open.read,
      write: open.write,
      syncOnClose: open.syncOnClose,
      created,
      writer: openWriter?.(fd),
    });
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    return (await loadMore()).stat(this.#root, path, options);
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    yield* (await loadMore()).list(this.#root, dir, options);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    return (await loadMore()).createDirAll(this.#root, path, options);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    return (await loadMore()).remove(this.#root, path, options);
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return (await loadMore()).copy(this.#root, from, to, options);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return (await loadMore()).link(this.#root, from, to, options);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    return (await loadMore()).loadWithTag(this.#root, path, options);
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
    return (await loadMore()).putConditional(this.#root, path, data, when, options);
  }
}

/**
 * Opens `path` with `flags | O_CREAT`, making its parent directories: the file, and when this
 * open created it, its path and the first directory `mkdir -p` made (see `DiskFileInit.created`).
 */
async function create(path: string, flags: number): Promise<[number, DiskFileInit["created"]]> {
  try {
    return [await openFd(path, flags), undefined]; // the common case: it exists
  } catch (error) {
    if (codeOf(error) !== "ENOENT") throw error;
  }
  const made = await mkdirs(dirname(path));
  try {
    return [await openFd(path, flags | O_CREAT | O_EXCL), [path, made]];
  } catch (error) {
    // Created meanwhile, or a dangling link (checked to stay inside the root) to follow.
    if (codeOf(error) !== "EEXIST") throw error;
    return [await openFd(path, flags | O_CREAT), undefined];
  }
}

/**
 * @internal The root directory of a local Fs, what its operations share (the backend kind for errors,
 * the options), and the rule that nothing reaches outside it.
 *
 * Paths cannot contain `..` (Path.parse rejects it), so only symlinks could lead out. Unless the
 * user opts in, every operation first resolves the symlinks along its target (and, for a
 * target that does not exist yet, along its deepest existing ancestor or the dangling link it
 * would follow) and refuses with `PermissionDenied` when the result lies outside the root.
 * The check runs before the operation, so it stops links that are in place; a process that can
 * already write inside the root and swaps a directory for a link in the instant between the
 * check and the system call is not stopped (the kernel offers no portable "beneath" lookup to
 * Node).
 */
export class Root {
  /** The absolute root as given (resolved against the working directory). */
  readonly path: string;
  /** `Fs.kind`, put on errors. */
  readonly kind: string;
  /** Whether links may lead outside the root (`followSymlinksOutsideRoot`). */
  readonly follow: boolean;
  /** `casLeaseMs`. */
  readonly leaseMs: number | undefined;
  #real: Promise<string> | undefined;

  constructor(root: string, kind: string, follow: boolean, leaseMs: number | undefined) {
    this.path = resolve(root);
    this.kind = kind;
    this.follow = follow;
    this.leaseMs = leaseMs;
  }

  /** The key of a call's `path` argument and the context of its errors; rejects a fired signal. */
  start(op: string, path: Path | string, signal: AbortSignalLike | undefined): [Path, ErrorContext] {
    const key = toPath(path);
    const context = { op, path: key.raw, backend: this.kind };
    throwIfAborted(signal, context);
    return [key, context];
  }

  /**
   * The absolute path of `key` under the root (lexically; no check). On Windows, `key` must
   * have passed `windowsKey` (which `resolve` runs).
   */
  join(key: Path): string {
    return join(this.path, key.raw);
  }

  /**
   * The root with its own symlinks resolved; made on first use when missing. An existing root
   * is only resolved, so a process that may read but not write (e.g. Deno with `--allow-read`
   * only) can use it.
   */
  real(): Promise<string> {
    this.#real ??= realpath(this.path)
      .catch((error: unknown) => {
        if (!isMissing(error)) throw error;
        return mkdirs(this.path).then(() => realpath(this.path));
      })
      .catch((error: unknown) => {
        this.#real = undefined; // try again next time (permissions may be fixed meanwhile)
        throw error;
      });
    return this.#real;
  }

  /**
   * Resolves `key` to an absolute path after checking that following it stays inside the
   * root (the check is skipped when the user opted in to outside links).
   * @throws FusioError `PermissionDenied` when a symlink leads outside the root.
   */
  async resolve(key: Path, context: ErrorContext): Promise<string> {
    if (sep === "\\") (await loadMore()).windowsKey(key);
    const path = this.join(key);
    try {
      const root = await this.real();
      if (!this.follow && !(await confined(path, root))) throw (await loadMore()).refusalError("outside", context);
    } catch (error) {
      throw await nativeError(error, context);
    }
    return path;
  }
}

/**
 * @internal Whether following the links along `path` stays inside `root` (a real path); `links`
 * dangling links were followed on the way here.
 */
export async function confined(path: string, root: string, links = 0): Promise<boolean> {
  const real = await realpath(path).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
  if (real !== undefined) return inside(real, root);
  // `path` does not resolve: either a component is missing (check its parent), or it is a
  // dangling link, which `open` with O_CREAT would follow (the lazily loaded part checks where
  // it points).
  const target = await readlink(path).catch(() => undefined);
  const parent = resolve(path, "..");
  if (target !== undefined) return (await loadMore()).throughLink(parent, target, root, links);
  return parent === path || confined(parent, root, links);
}

/** True when the real path `real` is the real `root` or below it. */
export function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}
