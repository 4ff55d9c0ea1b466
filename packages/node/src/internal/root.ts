import { join, resolve, sep } from "node:path";
import { type AbortSignalLike, type ErrorContext, FusioError, type Path, throwIfAborted, toPath } from "@fusio/core";
import { isMissing, mkdirs, readlink, realpath } from "./io.ts";
import { nativeError } from "./lazy.ts";

/**
 * The root directory of a local Fs, what its operations share (the backend kind for errors,
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

  /** The absolute path of `key` under the root (lexically; no check). */
  join(key: Path): string {
    // On Windows `\` and `:` would be separators or drive letters inside one fusio segment.
    if (sep === "\\" && /[\\:]/.test(key.raw)) {
      throw new FusioError("InvalidPath", "`\\` and `:` are not allowed in local paths on Windows", {
        op: "path",
        path: key.raw,
      });
    }
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
    const path = this.join(key);
    try {
      const root = await this.real();
      if (!this.follow && !(await confined(path, root))) {
        throw new FusioError(
          "PermissionDenied",
          "the path leads outside the root through a symbolic link (set followSymlinksOutsideRoot to allow it)",
          context,
        );
      }
    } catch (error) {
      throw await nativeError(error, context);
    }
    return path;
  }
}

/** Whether following the links along `path` stays inside `root` (a real path). */
async function confined(path: string, root: string): Promise<boolean> {
  let current = path;
  // Linux gives up after 40 links in one lookup; so does this check.
  for (let links = 0; links <= 40; ) {
    const real = await realpath(current).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
    if (real !== undefined) return inside(real, root);
    // `current` does not resolve: either a component is missing, or it is a dangling link
    // (which `open` with O_CREAT would follow). Check where the link points, or walk up.
    const target = await readlink(current).catch(() => undefined);
    const parent = resolve(current, "..");
    if (target === undefined) {
      if (parent === current) return true;
      current = parent;
    } else {
      links++;
      const realParent = await realpath(parent);
      if (!inside(realParent, root)) return false;
      current = resolve(realParent, target);
    }
  }
  return false;
}

/** True when the real path `real` is the real `root` or below it. */
export function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}
