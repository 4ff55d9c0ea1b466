// The calls of a local Fs besides `open` and the conditional writes, loaded at their first use.
import { dirname, resolve, sep } from "node:path";
import {
  type CallOptions,
  type ErrorContext,
  type FileMeta,
  FusioError,
  type ListOptions,
  type Path,
  toPath,
} from "@fusio/core";
import { confined, inside, type Root } from "../disk-fs.ts";
import { errnoCode, fromErrno } from "./errors.ts";
import { isMissing, mkdirs, realpath } from "./io.ts";
import { copyFile, link as linkFile, lstat, stat as statPath, unlink } from "./io-more.ts";
import { walk } from "./list.ts";

export async function stat(root: Root, path: Path | string, options?: CallOptions): Promise<FileMeta> {
  const [key, context] = root.start("stat", path, options?.signal);
  const absolute = await root.resolve(key, context);
  try {
    const stats = await statPath(absolute);
    return stats.isDirectory()
      ? { path: key, size: 0, isDirectory: true, lastModified: stats.mtime }
      : { path: key, size: stats.size, lastModified: stats.mtime };
  } catch (error) {
    throw fromErrno(error, context);
  }
}

export async function* list(root: Root, dir: Path | string, options: ListOptions): AsyncGenerator<FileMeta> {
  const [key, context] = root.start("list", dir, options.signal);
  const absolute = await root.resolve(key, context);
  try {
    yield* walk(root, key, absolute, options.recursive === true, options.signal, context);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

export async function createDirAll(root: Root, path: Path | string, options?: CallOptions): Promise<void> {
  const [key, context] = root.start("createDirAll", path, options?.signal);
  const absolute = await root.resolve(key, context);
  try {
    await mkdirs(absolute);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

export async function remove(root: Root, path: Path | string, options?: CallOptions): Promise<void> {
  const [key, context] = root.start("remove", path, options?.signal);
  if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
  // Only the directory is checked: removing a link itself never touches what it points to.
  await root.resolve(key.parent(), context);
  if (sep === "\\") windowsKey(key);
  const absolute = root.join(key);
  try {
    await unlink(absolute);
  } catch (error) {
    if (isMissing(error)) return;
    // Linux answers EISDIR for a directory, macOS EPERM.
    if (errnoCode(error) === "EPERM" && (await lstat(absolute).catch(() => undefined))?.isDirectory()) {
      throw new FusioError("IsADirectory", "the path is a directory", { ...context, cause: error });
    }
    throw fromErrno(error, context);
  }
}

export function copy(root: Root, from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
  return between(root, "copy", from, to, options, async (source, target, context) => {
    if ((await statPath(source)).isDirectory()) {
      throw new FusioError("IsADirectory", "the source is a directory", context);
    }
    await mkdirs(dirname(target));
    await copyFile(source, target);
  });
}

export function link(root: Root, from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
  return between(root, "link", from, to, options, async (source, target) => {
    await mkdirs(dirname(target));
    await linkFile(source, target);
  });
}

/** A call from one file to another (copy, link): both paths checked, errors mapped. */
async function between(
  root: Root,
  op: string,
  from: Path | string,
  to: Path | string,
  options: CallOptions | undefined,
  run: (source: string, target: string, context: ErrorContext) => Promise<void>,
): Promise<void> {
  const source = toPath(from);
  const target = toPath(to);
  const [, context] = root.start(op, source, options?.signal);
  if (source.isRoot || target.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
  const sourcePath = await root.resolve(source, context);
  const targetPath = await root.resolve(target, context);
  try {
    await run(sourcePath, targetPath, context);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

/**
 * For `Root`, on Windows: `\` and `:` would be separators or drive letters inside one fusio
 * segment, so local keys there must not contain them.
 * @throws FusioError `InvalidPath`.
 */
export function windowsKey(key: Path): void {
  if (/[\\:]/.test(key.raw)) {
    throw new FusioError("InvalidPath", "`\\` and `:` are not allowed in local paths on Windows", {
      op: "path",
      path: key.raw,
    });
  }
}

/**
 * For `confined` in disk-fs.ts: whether following the dangling link in `parent` to `target`
 * stays inside `root`, the link being the `links + 1`th on the way. Linux gives up after 40
 * links in one lookup; so does this check.
 */
export async function throughLink(parent: string, target: string, root: string, links: number): Promise<boolean> {
  const realParent = await realpath(parent);
  return links < 40 && inside(realParent, root) && confined(resolve(realParent, target), root, links + 1);
}

/** What `open` and `Root.resolve` refuse with (their text is kept out of the entry chunk). */
const REFUSALS = {
  root: ["IsADirectory", "the root is not a file"],
  directory: ["IsADirectory", "the path is a directory"],
  outside: [
    "PermissionDenied",
    "the path leads outside the root through a symbolic link (set followSymlinksOutsideRoot to allow it)",
  ],
} as const;

/** The error of a refusal of `open` or `Root.resolve`. */
export function refusalError(reason: keyof typeof REFUSALS, context: ErrorContext): FusioError {
  const [kind, message] = REFUSALS[reason];
  return new FusioError(kind, message, context);
}
