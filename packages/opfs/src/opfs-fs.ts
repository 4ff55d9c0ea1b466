import {
  beginCall,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
  type ErrorContext,
  type File,
  type FileMeta,
  type FsCall,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  Path,
  type PutConditionalOptions,
  type SyncLevel,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { createFile, directoryAt, findFile, parentOf, readWhole, replaceWhole } from "./internal/entries.ts";
import { opfsError } from "./internal/errors.ts";
import { listEntries } from "./internal/list.ts";
import { type OpenTarget, openStreamFile, openSyncFile } from "./internal/open-file.ts";
import { hasSyncAccessHandles } from "./internal/sync-access-handle.ts";
import { dropGeneration, readGeneration, renewGeneration, TAGS_DIRECTORY, tagOf } from "./internal/tags.ts";

/** Options of {@link OpfsFs}. */
export interface OpfsFsOptions {
  /**
   * The directory the Fs works in. Defaults to the origin's OPFS root,
   * `navigator.storage.getDirectory()`.
   */
  root?: FileSystemDirectoryHandle | undefined;
  /**
   * The namespace id, also the name of the Web Locks that make conditional writes atomic: every
   * tab and worker that shares `root` must use the same id. Defaults to `"opfs"` for the origin's
   * root and `"opfs:<root.name>"` for a given directory.
   */
  id?: string | undefined;
}

// copy streams the source through in pieces of this size.
const COPY_CHUNK = 1024 * 1024;

/**
 * The browser's Origin Private File System. In a dedicated worker, files are sync access handles
 * (positional reads and writes, visible to other handles at once, `sync` flushes to disk); on the
 * main thread, reads slice `File` snapshots and writes go through a writable stream that replaces
 * the content at `close`. Conditional writes are atomic across tabs and workers (Web Locks), and
 * tags change on every write.
 */
export class OpfsFs implements CasFs {
  readonly kind = "opfs";
  readonly id: string;
  readonly capabilities: Capabilities;
  readonly #given: FileSystemDirectoryHandle | undefined;
  readonly #sync: boolean;
  #origin: Promise<FileSystemDirectoryHandle> | undefined;

  constructor(options: OpfsFsOptions = {}) {
    this.#given = options.root;
    this.id = options.id ?? (options.root ? `opfs:${options.root.name}` : "opfs");
    this.#sync = hasSyncAccessHandles();
    this.capabilities = Object.freeze({
      link: false,
      copy: true,
      cas: typeof navigator !== "undefined" && navigator.locks !== undefined,
      directories: true,
      visibleBeforeClose: this.#sync,
      sync: Object.freeze<SyncLevel[]>(this.#sync ? ["data", "all"] : []),
    });
  }

  /** {@link beginCall}, and refuses the directory where tags are kept. */
  #begin(op: string, path: Path | string, signal: CallOptions["signal"]): FsCall {
    const call = beginCall(this.kind, op, path, signal);
    checkNotReserved(call.path, call.context);
    return call;
  }

  async #root(context: ErrorContext): Promise<FileSystemDirectoryHandle> {
    if (this.#given) return this.#given;
    if (typeof navigator === "undefined" || typeof navigator.storage?.getDirectory !== "function") {
      throw new FusioError("Unsupported", "this runtime has no Origin Private File System", context);
    }
    this.#origin ??= navigator.storage.getDirectory();
    try {
      return await this.#origin;
    } catch (error) {
      this.#origin = undefined;
      throw opfsError(error, context, "directory");
    }
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context } = this.#begin("open", path, options.signal);
    const open = normalizeOpenOptions(options);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    if (open.syncOnClose !== undefined && !this.capabilities.sync.includes(open.syncOnClose)) {
      throw new FusioError("Unsupported", "files outside a dedicated worker cannot be synced", context);
    }
    const root = await this.#root(context);
    let handle = await findFile(root, key, context);
    const created = handle === undefined;
    if (handle === undefined) {
      if (!open.create) throw new FusioError("NotFound", "no such file", context);
      handle = await createFile(root, key, context);
    }
    const target: OpenTarget = { root, path: key, handle, created, context };
    return this.#sync ? openSyncFile(target, open) : openStreamFile(target, open);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = this.#begin("stat", path, options?.signal);
    if (key.isRoot) return { path: key, size: 0, isDirectory: true };
    const { directory, name } = await parentOf(await this.#root(context), key, false, context);
    try {
      const file = await (await directory.getFileHandle(name)).getFile();
      return { path: key, size: file.size, lastModified: new Date(file.lastModified) };
    } catch (error) {
      const mapped = opfsError(error, context);
      if (mapped.kind !== "IsADirectory") throw mapped;
    }
    return { path: key, size: 0, isDirectory: true };
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = this.#begin("list", dir, options.signal);
    const root = await this.#root(context);
    let directory: FileSystemDirectoryHandle;
    try {
      directory = await directoryAt(root, base.parts(), false, context);
    } catch (error) {
      // A missing directory, or a path that names a file, lists nothing.
      if (FusioError.is(error, "NotFound") || FusioError.is(error, "NotADirectory")) return;
      throw error;
    }
    const found = await listEntries(
      directory,
      base,
      options.recursive === true,
      context,
      (name) => base.isRoot && name === TAGS_DIRECTORY,
    );
    found.sort((a, b) => Path.compare(a.path, b.path));
    for (const item of found) {
      throwIfAborted(options.signal, context);
      yield item;
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = this.#begin("createDirAll", path, options?.signal);
    await directoryAt(await this.#root(context), key.parts(), true, context);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = this.#begin("remove", path, options?.signal);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    const root = await this.#root(context);
    // findFile rejects IsADirectory for a directory, which `remove` refuses.
    const handle = await findFile(root, key, context).catch((error: FusioError) => {
      if (error.kind === "NotADirectory") return undefined;
      throw error;
    });
    if (handle === undefined) return;
    const { directory, name } = await parentOf(root, key, false, context);
    try {
      await directory.removeEntry(name);
    } catch (error) {
      const mapped = opfsError(error, context);
      if (mapped.kind !== "NotFound") throw mapped;
    }
    await dropGeneration(root, key, context);
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const target = toPath(to, { op: "copy", backend: this.kind });
    const { path: source, context } = this.#begin("copy", from, options?.signal);
    checkNotReserved(target, context);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const reader = await this.open(source, options?.signal ? { signal: options.signal } : {});
    try {
      // A copy onto itself has nothing to change (and truncating the target would lose the source).
      if (source.equals(target)) return;
      const writer = await this.open(target, { create: true, truncate: true });
      try {
        const size = await reader.size();
        for (let offset = 0; offset < size; offset += COPY_CHUNK) {
          const chunk = new Uint8Array(Math.min(COPY_CHUNK, size - offset));
          await writer.writeAll(await reader.readExactAt(chunk, offset));
        }
      } catch (error) {
        await writer.close({ signal: AbortSignal.abort() }).catch(() => {});
        throw error;
      }
      await writer.close();
    } finally {
      await reader.close();
    }
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    // Both paths are checked before the refusal, as on backends that have links.
    toPath(to, { op: "link", backend: this.kind });
    const { context } = this.#begin("link", from, options?.signal);
    throw new FusioError("Unsupported", "OPFS has no links", context);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const { path: key, context } = this.#begin("loadWithTag", path, options?.signal);
    const root = await this.#root(context);
    return this.#locked(key, "shared", options?.signal, context, () => load(root, key, context));
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const { path: key, context } = this.#begin("putConditional", path, undefined);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const root = await this.#root(context);
    // OPFS stores no content type or metadata; `options` only brings the signal.
    return this.#locked(key, "exclusive", options.signal, context, async () => {
      const current = await load(root, key, context);
      if ("ifNotExists" in when ? current !== undefined : current?.tag !== when.ifMatch) {
        throw new FusioError("PreconditionFailed", "the condition of the write does not hold", context);
      }
      const handle = await createFile(root, key, context);
      // A new generation first: a crash between the two steps leaves a changed tag, never a stale one.
      const generation = await renewGeneration(root, key, context);
      await replaceWhole(handle, data, context);
      return tagOf(generation, data);
    });
  }

  /** Runs `body` holding the Web Lock of `key`, shared by every tab and worker of this origin. */
  async #locked<T>(
    key: Path,
    mode: LockMode,
    signal: CallOptions["signal"],
    context: ErrorContext,
    body: () => Promise<T>,
  ): Promise<T> {
    if (!this.capabilities.cas) throw new FusioError("Unsupported", "this runtime has no Web Locks API", context);
    const name = `fusio-opfs:${this.id}:${key.raw}`;
    try {
      return await navigator.locks.request(name, signal instanceof AbortSignal ? { mode, signal } : { mode }, body);
    } catch (error) {
      throw opfsError(error, context);
    }
  }
}

/** The content and tag of the file at `key`, or `undefined` when it is missing. */
async function load(
  root: FileSystemDirectoryHandle,
  key: Path,
  context: ErrorContext,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  const handle = await findFile(root, key, context);
  if (handle === undefined) return undefined;
  const data = await readWhole(handle, context);
  return { data, tag: await tagOf(await readGeneration(root, key, context), data) };
}

function checkNotReserved(path: Path, context: ErrorContext): void {
  if (path.parts()[0] === TAGS_DIRECTORY) {
    throw new FusioError("InvalidPath", `paths below ${TAGS_DIRECTORY} are kept for tags`, {
      ...context,
      path: path.raw,
    });
  }
}
