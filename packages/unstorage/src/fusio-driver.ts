import { type AbortSignalLike, type FileMeta, type Fs, FusioError, type Path, toPath } from "@fusio/core";
import type { Driver, GetKeysOptions, StorageMeta, TransactionOptions } from "unstorage";
import { fromUtf8, rawBytes, utf8 } from "./internal/bytes.ts";
import { driverKeyOfPath, pathOfDriverKey } from "./internal/keys.ts";

/** Options of {@link fusioDriver}. */
export interface FusioDriverOptions {
  /** A directory of the Fs that holds the keys (`"cache"` keeps key `a:b` at `cache/a/b`). Defaults to the root. */
  base?: Path | string | undefined;
  /** How many removes `clear` runs at once. Default 16. */
  concurrency?: number | undefined;
}

/** What the driver's `getInstance()` returns. */
export interface FusioDriverInstance {
  readonly fs: Fs;
  readonly base: Path;
}

const MISSING = new Set(["NotFound", "IsADirectory", "NotADirectory"]);

function isMissing(error: unknown): boolean {
  return FusioError.is(error) && MISSING.has(error.kind);
}

function signalOf(options: TransactionOptions | undefined): AbortSignalLike | undefined {
  const signal = options?.signal as AbortSignalLike | undefined;
  return signal && typeof signal.aborted === "boolean" ? signal : undefined;
}

/**
 * An unstorage driver over any fusio `Fs`: `createStorage({ driver: fusioDriver(fs) })` gives
 * unstorage users fusio's backends (local disk, S3, Azure, R2, ...).
 *
 * Key `a:b:c` is the file `a/b/c` below `base` (unstorage's own fs and s3 drivers use the same
 * layout). Values are whole files: `getItem` reads the file as UTF-8, `getItemRaw` as bytes,
 * `setItem`/`setItemRaw` replace it, `getMeta` gives `size`, `mtime` and `etag`. A missing key
 * reads as `null`. Errors are `FusioError`s. A `signal` in the transaction options is passed on.
 */
export function fusioDriver(fs: Fs, options: FusioDriverOptions = {}): Driver<FusioDriverOptions, FusioDriverInstance> {
  const base = toPath(options.base ?? "");
  const concurrency = options.concurrency ?? 16;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new FusioError("InvalidArgument", "concurrency must be a positive integer", { op: "fusioDriver" });
  }
  const path = (key: string): Path => pathOfDriverKey(key, base);

  async function read(key: string, transaction?: TransactionOptions): Promise<Uint8Array | null> {
    const signal = signalOf(transaction);
    try {
      // The backend's whole-file read where it has one: on local disk, fewer system calls.
      if (fs.readFile) return await fs.readFile(path(key), { signal });
      const file = await fs.open(path(key), { signal });
      try {
        return await file.readToEndAt(0, { signal });
      } finally {
        await file.close();
      }
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function write(key: string, data: Uint8Array, transaction?: TransactionOptions): Promise<void> {
    const signal = signalOf(transaction);
    const file = await fs.open(path(key), { create: true, truncate: true, signal });
    try {
      await file.writeAll(data, { signal });
    } catch (error) {
      // Release the handle. Remote backends refuse to publish an upload whose write failed;
      // on local disk the open already truncated the file, as unstorage's fs driver would.
      await file.close().catch(() => undefined);
      throw error;
    }
    await file.close({ signal });
  }

  async function stat(key: string, transaction?: TransactionOptions): Promise<FileMeta | null> {
    try {
      const meta = await fs.stat(path(key), { signal: signalOf(transaction) });
      return meta.isDirectory ? null : meta;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function keys(
    prefix: string,
    maxDepth: number | undefined,
    signal: AbortSignalLike | undefined,
  ): Promise<string[]> {
    const dir = prefix === "" ? base : path(prefix);
    const out: string[] = [];
    if (maxDepth === undefined) {
      for await (const entry of fs.list(dir, { recursive: true, signal })) {
        const key = driverKeyOfPath(entry.path, base);
        if (key && !entry.isDirectory) out.push(key);
      }
      return out;
    }
    // Depth-limited: walk directory by directory, so an object store lists with a delimiter
    // instead of enumerating everything below.
    const walk = async (at: Path, depth: number): Promise<void> => {
      for await (const entry of fs.list(at, { signal })) {
        if (entry.isDirectory) {
          if (depth < maxDepth) await walk(entry.path, depth + 1);
        } else {
          const key = driverKeyOfPath(entry.path, base);
          if (key) out.push(key);
        }
      }
    };
    // The depth of a key is its number of separators, counted from the driver's root.
    await walk(dir, dir.parts().length - base.parts().length);
    return out;
  }

  return {
    name: "fusio",
    options,
    flags: { maxDepth: true },
    getInstance: () => ({ fs, base }),
    async hasItem(key, transaction) {
      return (await stat(key, transaction)) !== null;
    },
    async getItem(key, transaction) {
      const data = await read(key, transaction);
      return data === null ? null : fromUtf8(data);
    },
    async getItemRaw(key, transaction) {
      return read(key, transaction);
    },
    async setItem(key, value, transaction) {
      await write(key, utf8(String(value)), transaction);
    },
    async setItemRaw(key, value, transaction) {
      const data = rawBytes(value);
      if (data === undefined) {
        throw new FusioError("InvalidArgument", "setItemRaw takes a Uint8Array, an ArrayBuffer (view) or a string", {
          op: "setItemRaw",
          path: key,
        });
      }
      await write(key, data, transaction);
    },
    async removeItem(key, transaction) {
      await fs.remove(path(key), { signal: signalOf(transaction) });
    },
    async getMeta(key, transaction): Promise<StorageMeta | null> {
      const meta = await stat(key, transaction);
      if (meta === null) return null;
      return {
        size: meta.size,
        ...(meta.lastModified ? { mtime: meta.lastModified } : {}),
        ...(meta.etag !== undefined ? { etag: meta.etag } : {}),
      };
    },
    async getKeys(prefix, getKeysOptions: GetKeysOptions) {
      return keys(prefix ?? "", getKeysOptions?.maxDepth, signalOf(getKeysOptions));
    },
    async clear(prefix, transaction) {
      const signal = signalOf(transaction);
      const pending = (await keys(prefix ?? "", undefined, signal)).map((key) => path(key));
      const worker = async (): Promise<void> => {
        for (let next = pending.pop(); next !== undefined; next = pending.pop()) await fs.remove(next, { signal });
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    },
  };
}
