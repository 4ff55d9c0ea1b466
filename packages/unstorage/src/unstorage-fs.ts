import {
  beginCall,
  beginOpen,
  type CallOptions,
  type Capabilities,
  type ErrorContext,
  type File,
  type FileMeta,
  type Fs,
  FusioError,
  type ListOptions,
  type OpenOptions,
  Path,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import type { Driver } from "unstorage";
import { serializeRaw, toBytes } from "./internal/bytes.ts";
import { driverError } from "./internal/errors.ts";
import { keyOfPath, pathOfKey } from "./internal/keys.ts";
import { UnstorageFile } from "./unstorage-file.ts";

/** Options of {@link unstorageFs}. */
export interface UnstorageFsOptions {
  /**
   * The namespace id (see `Fs.id`). Defaults to `unstorage:<driver name>:<n>`, a fresh id per
   * wrapper; give two wrappers of the same store the same id to let copies between them stay
   * inside the driver.
   */
  id?: string | undefined;
}

let instances = 0;
/** How many entries `list` fetches sizes for ahead of the consumer. */
const LIST_LOOKAHEAD = 8;

/**
 * Any unstorage driver as a fusio `Fs`, the way Rust's `fusio-object-store` wraps
 * `object_store`. Drivers move whole values, so:
 * - `open` loads the whole value (one `getItemRaw`) and reads are slices of it;
 * - writes are buffered in the handle and stored with one `setItemRaw` at `close`
 *   (`visibleBeforeClose: false`); appending re-stores the old value with the new bytes;
 * - `copy` is a get and a set; there are no links, no conditional writes, no `sync`.
 *
 * Keys are the path's segments joined by ":" with `%`, `:` and `\` in a segment escaped
 * (`%25`, `%3A`, `%5C`), so `a/b.txt` is the key `a:b.txt`.
 */
export class UnstorageFs implements Fs {
  readonly kind = "unstorage";
  readonly id: string;
  readonly capabilities: Capabilities;
  /** The wrapped driver. */
  readonly driver: Driver;

  constructor(driver: Driver, options: UnstorageFsOptions = {}) {
    if (typeof driver !== "object" || driver === null || typeof driver.getKeys !== "function") {
      throw new FusioError("InvalidArgument", "expected an unstorage driver", { op: "unstorageFs" });
    }
    this.driver = driver;
    this.id = options.id ?? `unstorage:${driver.name ?? "driver"}:${++instances}`;
    this.capabilities = Object.freeze({
      link: false,
      copy: this.#writable,
      cas: false,
      directories: false,
      visibleBeforeClose: false,
      sync: Object.freeze([]),
    });
  }

  get #writable(): boolean {
    return typeof this.driver.setItemRaw === "function" || typeof this.driver.setItem === "function";
  }

  #context(op: string, path: Path): ErrorContext {
    return { op, path: path.raw, backend: this.kind };
  }

  async #call<T>(context: ErrorContext, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw driverError(error, context);
    }
  }

  async #load(key: string, context: ErrorContext): Promise<Uint8Array | undefined> {
    const driver = this.driver;
    const value = await this.#call(context, () =>
      driver.getItemRaw ? driver.getItemRaw(key, {}) : driver.getItem(key, {}),
    );
    return toBytes(value);
  }

  async #store(key: string, content: Uint8Array, context: ErrorContext): Promise<void> {
    const driver = this.driver;
    await this.#call(context, () => {
      if (driver.setItemRaw) return driver.setItemRaw(key, content, {});
      if (driver.setItem) return driver.setItem(key, serializeRaw(content), {});
      throw new FusioError("PermissionDenied", "the driver is read-only", context);
    });
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context, open } = beginOpen(this, path, options);
    if (open.write && !this.#writable) throw new FusioError("PermissionDenied", "the driver is read-only", context);
    const name = keyOfPath(key);
    let initial: Uint8Array = new Uint8Array(0);
    let dirty = false;
    if (open.truncate) {
      if (!open.create && !(await this.#call(context, () => this.driver.hasItem(name, {})))) {
        throw new FusioError("NotFound", "no such file", context);
      }
      dirty = true;
    } else {
      const existing = await this.#load(name, context);
      if (existing !== undefined) initial = existing;
      else if (open.create) dirty = true;
      else throw new FusioError("NotFound", "no such file", context);
    }
    throwIfAborted(options.signal, context);
    const commit = async (content: Uint8Array, call: CallOptions | undefined): Promise<void> => {
      const closing = this.#context("close", key);
      throwIfAborted(call?.signal, closing);
      await this.#store(name, content, closing);
    };
    return new UnstorageFile(key, initial, dirty, open, commit, this.kind);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "stat", path, options?.signal);
    const meta = key.isRoot ? undefined : await this.#meta(key, keyOfPath(key), context);
    if (meta === undefined) throw new FusioError("NotFound", "no such file", context);
    return meta;
  }

  /**
   * Size from the driver's native meta when it has one, else from the value itself.
   * `known`: the key was just listed, so existence needs no separate check.
   */
  async #meta(path: Path, name: string, context: ErrorContext, known = false): Promise<FileMeta | undefined> {
    const driver = this.driver;
    if (!known && !(await this.#call(context, () => driver.hasItem(name, {})))) return undefined;
    const native = driver.getMeta ? await this.#call(context, () => driver.getMeta?.(name, {})) : undefined;
    let size = native?.size;
    if (typeof size !== "number") {
      const value = await this.#load(name, context);
      if (value === undefined) return undefined;
      size = value.length;
    }
    const mtime = native?.mtime;
    const lastModified = mtime instanceof Date ? mtime : typeof mtime === "string" ? new Date(mtime) : undefined;
    const etag = typeof native?.etag === "string" ? native.etag : undefined;
    return {
      path,
      size,
      ...(lastModified && !Number.isNaN(lastModified.getTime()) ? { lastModified } : {}),
      ...(etag ? { etag } : {}),
    };
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = beginCall(this.kind, "list", dir, options.signal);
    const prefix = base.isRoot ? "" : `${keyOfPath(base)}:`;
    const keys = await this.#call(context, () => this.driver.getKeys(prefix, {}));
    // Drivers may ignore the base and list everything; keep only what is below `base`.
    const entries = new Map<string, { path: Path; key?: string; isDirectory: boolean }>();
    for (const key of keys) {
      const path = pathOfKey(String(key));
      const rest = path?.prefixMatch(base);
      if (path === undefined || rest === undefined || rest.length === 0) continue;
      if (options.recursive || rest.length === 1) {
        entries.set(`f:${path.raw}`, { path, key: keyOfPath(path), isDirectory: false });
      } else {
        const child = base.join(rest[0] as string);
        entries.set(`d:${child.raw}`, { path: child, isDirectory: true });
      }
    }
    const sorted = [...entries.values()].sort((a, b) => Path.compare(a.path, b.path));
    // Sizes cost a driver call per file: look a few entries ahead so remote drivers overlap
    // them, without running far past a consumer that stops early.
    const lookups = new Map<number, Promise<FileMeta | undefined>>();
    const lookup = (index: number): void => {
      const entry = sorted[index];
      if (entry === undefined || entry.isDirectory || lookups.has(index)) return;
      const pending = this.#meta(entry.path, entry.key as string, context, true);
      pending.catch(() => undefined); // awaited below, or dropped when the consumer stops
      lookups.set(index, pending);
    };
    for (let index = 0; index < sorted.length; index++) {
      throwIfAborted(options.signal, context);
      const entry = sorted[index] as (typeof sorted)[number];
      if (entry.isDirectory) {
        yield { path: entry.path, size: 0, isDirectory: true };
        continue;
      }
      for (let ahead = index; ahead < index + LIST_LOOKAHEAD; ahead++) lookup(ahead);
      const meta = await lookups.get(index);
      lookups.delete(index);
      // Gone since the listing (a concurrent remove): skip it, as a paginated listing would.
      if (meta !== undefined) yield meta;
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    beginCall(this.kind, "createDirAll", path, options?.signal);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = beginCall(this.kind, "remove", path, options?.signal);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const driver = this.driver;
    if (!driver.removeItem) throw new FusioError("PermissionDenied", "the driver cannot remove items", context);
    await this.#call(context, () => driver.removeItem?.(keyOfPath(key), {}));
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const target = toPath(to, { op: "copy", backend: this.kind });
    const { path: source, context } = beginCall(this.kind, "copy", from, options?.signal);
    if (!this.capabilities.copy) throw new FusioError("Unsupported", "the driver is read-only", context);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const data = source.isRoot ? undefined : await this.#load(keyOfPath(source), context);
    if (data === undefined) throw new FusioError("NotFound", "no such file", context);
    throwIfAborted(options?.signal, context);
    await this.#store(keyOfPath(target), data, context);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    // Both paths are checked before the refusal, as on backends that have links.
    toPath(to, { op: "link", backend: this.kind });
    const { context } = beginCall(this.kind, "link", from, options?.signal);
    throw new FusioError("Unsupported", "unstorage drivers have no links", context);
  }
}

/** Wraps an unstorage driver as a fusio `Fs`; see {@link UnstorageFs}. */
export function unstorageFs(driver: Driver, options?: UnstorageFsOptions): UnstorageFs {
  return new UnstorageFs(driver, options);
}
