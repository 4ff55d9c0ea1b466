import {
  beginCall,
  beginOpen,
  beginPutConditional,
  beginReadFile,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  type ErrorContext,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  type OpenOptions,
  Path,
  type PutConditionalOptions,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { Entry } from "./entry.ts";
import { MemoryFile } from "./memory-file.ts";

/** Options of {@link MemoryFs}. */
export interface MemoryFsOptions {
  /** The namespace id; two MemoryFs with the same id are treated as one by cross-fs copy. Defaults to a fresh id. */
  id?: string | undefined;
}

let instances = 0;

/**
 * Files in a `Map`, for tests, caches and as the reference backend. Behaves like an object
 * store with instant visibility: every handle sees every write at once, directories are only
 * implied by keys, and tags change on every write.
 */
export class MemoryFs implements CasFs {
  readonly kind = "memory";
  readonly id: string;
  readonly capabilities: Capabilities = Object.freeze({
    link: false,
    copy: true,
    cas: true,
    directories: false,
    visibleBeforeClose: true,
    sync: Object.freeze([]),
  });
  readonly #entries = new Map<string, Entry>();
  #tags = 0;
  readonly #nextTag = (): string => (++this.#tags).toString(16).padStart(16, "0");

  constructor(options: MemoryFsOptions = {}) {
    this.id = options.id ?? `memory:${++instances}`;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context, open } = beginOpen(this, path, options);
    let entry = this.#entries.get(key.raw);
    if (entry === undefined) {
      if (!open.create) throw new FusioError("NotFound", "no such file", context);
      entry = new Entry(this.#nextTag());
      this.#entries.set(key.raw, entry);
    } else if (open.truncate) {
      entry.replace(new Uint8Array(0));
      entry.tag = this.#nextTag();
      entry.lastModified = new Date();
    }
    return new MemoryFile(key, entry, open, this.#nextTag);
  }

  /** The whole file in one call: no handle to make. */
  async readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    const { path: key, context } = beginReadFile(this.kind, path, options?.signal);
    return this.#get(key, context).view().slice();
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "stat", path, options?.signal);
    return meta(key, this.#get(key, context));
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = beginCall(this.kind, "list", dir, options.signal);
    const found: FileMeta[] = [];
    const directories = new Set<string>();
    for (const [raw, entry] of this.#entries) {
      const path = Path.parse(raw);
      const rest = path.prefixMatch(base);
      if (rest === undefined || rest.length === 0) continue;
      if (options.recursive || rest.length === 1) {
        found.push(meta(path, entry));
      } else {
        const child = base.join(rest[0] as string);
        if (!directories.has(child.raw)) {
          directories.add(child.raw);
          found.push({ path: child, size: 0, isDirectory: true });
        }
      }
    }
    found.sort((a, b) => Path.compare(a.path, b.path));
    for (const item of found) {
      throwIfAborted(options.signal, context);
      yield item;
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    beginCall(this.kind, "createDirAll", path, options?.signal);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key } = beginCall(this.kind, "remove", path, options?.signal);
    this.#entries.delete(key.raw);
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const target = toPath(to, { op: "copy", backend: this.kind });
    const { path: source, context } = beginCall(this.kind, "copy", from, options?.signal);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    const entry = this.#get(source, context);
    const copy = new Entry(this.#nextTag(), entry.view());
    copy.contentType = entry.contentType;
    copy.metadata = entry.metadata;
    this.#entries.set(target.raw, copy);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    // Both paths are checked before the refusal, as on backends that have links.
    toPath(to, { op: "link", backend: this.kind });
    const { context } = beginCall(this.kind, "link", from, options?.signal);
    throw new FusioError("Unsupported", "memory has no links", context);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const { path: key } = beginCall(this.kind, "loadWithTag", path, options?.signal);
    const entry = this.#entries.get(key.raw);
    return entry && { data: entry.view().slice(), tag: entry.tag };
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const { path: key, context } = beginPutConditional(this.kind, path, data, when, options.signal);
    // Check and write happen in one synchronous step, so no other caller can interleave.
    const entry = this.#entries.get(key.raw);
    if ("ifNotExists" in when ? entry !== undefined : entry?.tag !== when.ifMatch) {
      throw new FusioError("PreconditionFailed", "the condition of the write does not hold", context);
    }
    const target = entry ?? new Entry(this.#nextTag());
    target.replace(data);
    target.tag = this.#nextTag();
    target.lastModified = new Date();
    target.contentType = options.contentType;
    target.metadata = options.metadata && { ...options.metadata };
    this.#entries.set(key.raw, target);
    return target.tag;
  }

  #get(key: Path, context: ErrorContext): Entry {
    const entry = this.#entries.get(key.raw);
    if (entry === undefined) throw new FusioError("NotFound", "no such file", context);
    return entry;
  }
}

function meta(path: Path, entry: Entry): FileMeta {
  return { path, size: entry.length, lastModified: entry.lastModified, etag: entry.tag };
}
