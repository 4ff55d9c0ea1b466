import fs from "node:fs";
import { join } from "node:path";
import {
  type CallOptions,
  type CasCondition,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
  toPath,
} from "@fusio/core";
import { DiskFs, type DiskFsOptions, fromErrno } from "@fusio/disk";
import { permissionError } from "./internal/errors.ts";

/** Options of {@link DenoFs}. */
export interface DenoFsOptions extends DiskFsOptions {}

/**
 * A local directory as a fusio `CasFs` under Deno, on Deno's `node:fs`: positional reads with
 * `read` on the descriptor straight into the caller's buffer and appends with `write` on an
 * O_APPEND descriptor (measured faster than `Deno.FsFile`, whose cursor would also need a
 * seek + read per call and a lock to keep concurrent reads apart). Everything else — paths
 * confined to `root`, directories, copy, hard links, crash-safe cross-process CAS — is
 * the `@fusio/disk` engine's. A call the permission sandbox refuses (`--allow-read`,
 * `--allow-write`) rejects `PermissionDenied`.
 *
 * ```ts
 * const fs = new DenoFs({ root: "./data" });
 * await using file = await fs.open("logs/today.log", { create: true });
 * await file.writeAll(new TextEncoder().encode("hello\n"));
 * ```
 */
export class DenoFs extends DiskFs {
  constructor(options: DenoFsOptions) {
    super(options, { kind: "deno" });
  }

  // The sandbox checks paths, not descriptors: only the path-taking calls below can meet
  // `Deno.errors.NotCapable`, which the shared errno mapping does not know.

  override async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    try {
      // Deno opens files with Rust's OpenOptions, which refuse O_TRUNC together with O_APPEND
      // (EINVAL): open appending, then truncate. Another writer appending between the two
      // calls loses its bytes, as it would a moment later to O_TRUNC.
      if (!normalizeOpenOptions(options).truncate) return await super.open(path, options);
      const file = await super.open(path, { ...options, truncate: false, write: true });
      try {
        await call((done) => fs.truncate(join(this.root, file.path.raw), 0, done));
      } catch (error) {
        await file.close();
        throw fromErrno(error, { op: "open", path: file.path.raw, backend: this.kind });
      }
      return file;
    } catch (error) {
      rethrow(error);
    }
  }

  override readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    return super.readFile(path, options).catch(rethrow);
  }

  override stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    return super.stat(path, options).catch(rethrow);
  }

  override async *list(dir: Path | string, options?: ListOptions): AsyncGenerator<FileMeta> {
    try {
      yield* super.list(dir, options);
    } catch (error) {
      rethrow(error);
    }
  }

  override createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    return super.createDirAll(path, options).catch(rethrow);
  }

  override async remove(path: Path | string, options?: CallOptions): Promise<void> {
    try {
      // Deno's node:fs `unlink` removes an empty directory too; the contract refuses directories.
      const key = toPath(path);
      const stats = key.isRoot ? undefined : await lstat(join(this.root, key.raw));
      if (stats?.isDirectory()) {
        await super.stat(key, options); // rejects PermissionDenied when a link leads outside the root
        throw new FusioError("IsADirectory", "the path is a directory", {
          op: "remove",
          path: key.raw,
          backend: this.kind,
        });
      }
      await super.remove(key, options);
    } catch (error) {
      rethrow(error);
    }
  }

  override copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return super.copy(from, to, options).catch(rethrow);
  }

  override link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return super.link(from, to, options).catch(rethrow);
  }

  override loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    return super.loadWithTag(path, options).catch(rethrow);
  }

  /**
   * Also needs `--allow-run` and `--allow-sys=hostname,osUptime` (or `-A`): the lock that
   * orders writers across processes records its owner's host and pid, a writer that finds a
   * lock (or a temp file a crashed writer left) checks whether its owner is still alive with
   * `process.kill(pid, 0)`, which Deno allows only with `--allow-run`, and the boot time tells
   * files older than the last boot apart. Without them it rejects `PermissionDenied` rather
   * than risk breaking a live lock. `--allow-read=/proc` lets it also tell a reused pid from the
   * original owner.
   */
  override async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options?: PutConditionalOptions,
  ): Promise<string> {
    try {
      const missing = casPermissionMissing();
      if (missing !== undefined) {
        const key = toPath(path);
        throw new FusioError("PermissionDenied", `conditional writes need ${missing} under Deno`, {
          op: "putConditional",
          path: key.raw,
          backend: this.kind,
        });
      }
      return await super.putConditional(path, data, when, options);
    } catch (error) {
      rethrow(error);
    }
  }
}

interface DenoPermissions {
  querySync(descriptor: { name: string; kind?: string }): { state: "granted" | "denied" | "prompt" };
}

/** The flag a cross-process CAS lacks in this Deno process, or undefined when it has them all. */
function casPermissionMissing(): string | undefined {
  const permissions = (globalThis as unknown as { Deno?: { permissions?: DenoPermissions } }).Deno?.permissions;
  const granted = (descriptor: { name: string; kind?: string }) =>
    permissions === undefined || permissions.querySync(descriptor).state === "granted";
  if (!granted({ name: "run" })) return "--allow-run";
  if (!granted({ name: "sys", kind: "hostname" }) || !granted({ name: "sys", kind: "osUptime" })) {
    return "--allow-sys=hostname,osUptime";
  }
  return undefined;
}

function call(run: (done: (error: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

/** lstat, or undefined when the path or a parent is missing (or refused: the real call reports it). */
function lstat(path: string): Promise<fs.Stats | undefined> {
  return new Promise((resolve) => fs.lstat(path, (error, stats) => resolve(error ? undefined : stats)));
}

function rethrow(error: unknown): never {
  throw permissionError(error) ?? error;
}
