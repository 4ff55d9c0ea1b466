// The root directory of a local Fs, and the rule that nothing reaches outside it.
//
// Paths cannot contain `..` (Path.parse rejects it), so only symlinks could lead out. Unless the
// user opts in, every operation first resolves the symlinks along its target (and, for a target
// that does not exist yet, along its deepest existing ancestor or the dangling link it would
// follow) and refuses with `PermissionDenied` when the result lies outside the root. The check
// runs before the operation, so it stops links that are in place; a process that can already
// write inside the root and swaps a directory for a link in the instant between the check and
// the system call is not stopped (the kernel offers no portable "beneath" lookup to Node).
import { join, resolve, sep } from "node:path";
import { type ErrorContext, FusioError, type Path } from "@fusio/core";
import { fromErrno, isMissing } from "./errors.ts";
import { mkdirs, readlink, realpath } from "./io.ts";

/** Linux gives up after 40 links in one lookup; so does the check of dangling links. */
const MAX_LINKS = 40;

/** The root directory of a local Fs and what its operations share. */
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

  /**
   * The absolute path of `key` under the root (lexically; no check).
   * @throws FusioError `InvalidPath` on Windows for a key that holds `\` or `:`.
   */
  join(key: Path): string {
    if (sep === "\\") windowsKey(key);
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
    let stays: boolean;
    try {
      const root = await this.real(); // also makes a missing root
      stays = this.follow || (await confined(path, root));
    } catch (error) {
      throw fromErrno(error, context);
    }
    if (!stays) {
      throw new FusioError(
        "PermissionDenied",
        "the path leads outside the root through a symbolic link (set followSymlinksOutsideRoot to allow it)",
        context,
      );
    }
    return path;
  }
}

/** True when the real path `real` is the real `root` or below it. */
export function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Whether following the links along `path` stays inside `root` (a real path); `links` dangling
 * links were followed on the way here.
 */
async function confined(path: string, root: string, links = 0): Promise<boolean> {
  const real = await realpath(path).catch((error: unknown) => {
    if (!isMissing(error)) throw error;
  });
  if (real !== undefined) return inside(real, root);
  // `path` does not resolve: either a component is missing (check its parent), or it is a
  // dangling link, which `open` with O_CREAT would follow (check where it points).
  const target = await readlink(path).catch(() => undefined);
  const parent = resolve(path, "..");
  if (target === undefined) return parent === path || confined(parent, root, links);
  if (links >= MAX_LINKS) return false;
  const realParent = await realpath(parent);
  return inside(realParent, root) && confined(resolve(realParent, target), root, links + 1);
}

/**
 * On Windows, `\` and `:` would be separators or drive letters inside one fusio segment, so
 * local keys there must not contain them.
 * @throws FusioError `InvalidPath`.
 */
function windowsKey(key: Path): void {
  if (/[\\:]/.test(key.raw)) {
    throw new FusioError("InvalidPath", "`\\` and `:` are not allowed in local paths on Windows", {
      op: "path",
      path: key.raw,
    });
  }
}
