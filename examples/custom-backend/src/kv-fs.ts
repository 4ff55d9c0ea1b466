import {
  beginCall,
  beginReadFile,
  type CallOptions,
  type Capabilities,
  type File,
  type FileMeta,
  type Fs,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  Path,
  toPath,
} from "@fusio/core";
import { KvFile } from "./kv-file.ts";
import type { MyKv } from "./my-kv.ts";

/**
 * fusio on a key-value store: a file is one value, keyed by its path. Directories are only
 * implied by keys, and a file's new bytes are stored when it is closed.
 */
export class KvFs implements Fs {
  readonly kind = "kv";
  readonly id: string;
  readonly capabilities: Capabilities = {
    link: false,
    copy: true,
    cas: false,
    directories: false,
    visibleBeforeClose: false,
    sync: [],
  };

  constructor(
    readonly kv: MyKv,
    namespace: string,
  ) {
    this.id = `kv:${namespace}`;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context } = beginCall(this.kind, "open", path, options.signal);
    const open = normalizeOpenOptions(options);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    // Refused at open, before anything is written: the caller asked for durability we lack.
    if (open.syncOnClose !== undefined && !this.capabilities.sync.includes(open.syncOnClose)) {
      throw new FusioError("Unsupported", `kv cannot sync "${open.syncOnClose}" on close`, context);
    }
    const existing = await this.kv.get(key.raw);
    // A missing path is refused here, not at the first read.
    if (existing === undefined && !open.create) throw new FusioError("NotFound", "no such file", context);
    return new KvFile(this.kv, key, open, open.truncate ? new Uint8Array(0) : (existing ?? new Uint8Array(0)));
  }

  /** Optional (`Fs.readFile`): a whole file is one `kv.get`, with no handle to make. */
  async readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    const { path: key, context } = beginReadFile(this.kind, path, options?.signal);
    const value = await this.kv.get(key.raw);
    if (value === undefined) throw new FusioError("NotFound", "no such file", context);
    // A new array, as `readToEndAt` gives: the caller may change it.
    return value.slice();
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "stat", path, options?.signal);
    const value = await this.kv.get(key.raw);
    if (value === undefined) throw new FusioError("NotFound", "no such file", context);
    return { path: key, size: value.length };
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base } = beginCall(this.kind, "list", dir, options.signal);
    const found = new Map<string, FileMeta>();
    for await (const key of this.kv.keys()) {
      const path = Path.parse(key);
      // Matches by segment: `a` is the parent of `a/x`, never of `a2/x`.
      const rest = path.prefixMatch(base);
      if (rest === undefined || rest.length === 0) continue;
      if (options.recursive || rest.length === 1) {
        found.set(key, { path, size: (await this.kv.get(key))?.length ?? 0 });
      } else {
        // A deeper key implies a sub-directory of `base`; list it once.
        const child = base.child(rest[0] as string);
        found.set(`${child.raw}/`, { path: child, size: 0, isDirectory: true });
      }
    }
    yield* [...found.values()].sort((a, b) => Path.compare(a.path, b.path));
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    // Directories are implied by keys: nothing to make, but the path and signal are checked.
    beginCall(this.kind, "createDirAll", path, options?.signal);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key } = beginCall(this.kind, "remove", path, options?.signal);
    await this.kv.delete(key.raw);
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const target = toPath(to, { op: "copy", backend: this.kind });
    const { path: source, context } = beginCall(this.kind, "copy", from, options?.signal);
    const value = await this.kv.get(source.raw);
    if (value === undefined) throw new FusioError("NotFound", "no such file", context);
    await this.kv.set(target.raw, value);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    // Both paths are checked before the refusal, so bad input is `InvalidPath` on every backend.
    toPath(to, { op: "link", backend: this.kind });
    const { context } = beginCall(this.kind, "link", from, options?.signal);
    throw new FusioError("Unsupported", "kv has no links", context);
  }
}
