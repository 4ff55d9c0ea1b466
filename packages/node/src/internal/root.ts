import { join, resolve, sep } from "node:path";
import { type ErrorContext, FusioError, type Path } from "@fusio/core";
import { fromErrno } from "./errors.ts";
import { isMissing, mkdirs, readlink, realpath } from "./io.ts";

// Linux gives up after 40 links in one lookup; so does the escape check.
const MAX_LINKS = 40;

/**
 * The root directory of a local Fs and the rule that nothing reaches outside it.
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
  readonly #followOutside: boolean;
  #real: Promise<string> | undefined;

  constructor(root: string, followSymlinksOutsideRoot: boolean) {
    this.path = resolve(root);
    this.#followOutside = followSymlinksOutsideRoot;
  }

  /** The absolute path of `key` under the root (lexically; no check). */
  join(key: Path): string {
    if (key.isRoot) return this.path;
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
      if (!this.#followOutside) await this.#confine(path, root, context);
    } catch (error) {
      throw fromErrno(error, context);
    }
    return path;
  }

  /** True when the real path `real` is the root or below it. */
  async contains(real: string): Promise<boolean> {
    return inside(real, await this.real());
  }

  async #confine(path: string, root: string, context: ErrorContext): Promise<void> {
    let current = path;
    for (let links = 0; links <= MAX_LINKS; ) {
      let real: string | undefined;
      try {
        real = await realpath(current);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      if (real !== undefined) {
        if (inside(real, root)) return;
        throw outside(context);
      }
      // `current` does not resolve: either a component is missing, or it is a dangling link
      // (which `open` with O_CREAT would follow). Check where the link points, or walk up.
      let target: string | undefined;
      try {
        target = await readlink(current);
      } catch {
        target = undefined;
      }
      const parent = resolve(current, "..");
      if (target === undefined) {
        if (parent === current) return;
        current = parent;
        continue;
      }
      links++;
      const realParent = await realpath(parent);
      if (!inside(realParent, root)) throw outside(context);
      current = resolve(realParent, target);
    }
    throw outside(context);
  }
}

function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

function outside(context: ErrorContext): FusioError {
  return new FusioError(
    "PermissionDenied",
    "the path leads outside the root through a symbolic link (set followSymlinksOutsideRoot to allow it)",
    context,
  );
}
