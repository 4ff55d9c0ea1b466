// `copy` (copyFile, a reflink where the file system has them) and `link` (a hard link) within
// one root: both paths checked against the root, the target's parent directories made.
import { dirname } from "node:path";
import {
  beginCall,
  type CallOptions,
  type ErrorContext,
  FusioError,
  type Path,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { fromErrno } from "./errors.ts";
import { copyFile, link, mkdirs, stat } from "./io.ts";
import type { Root } from "./root.ts";

/** `Fs.copy` of a local Fs: overwrites the target. */
export function copyWithin(root: Root, from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
  return between(root, "copy", from, to, options, async (source, target, context) => {
    if ((await stat(source)).isDirectory()) {
      throw new FusioError("IsADirectory", "the source is a directory", context);
    }
    await mkdirs(dirname(target));
    await copyFile(source, target);
  });
}

/** `Fs.link` of a local Fs: a hard link; an existing target rejects `AlreadyExists`. */
export function linkWithin(root: Root, from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
  return between(root, "link", from, to, options, async (source, target) => {
    await mkdirs(dirname(target));
    await link(source, target);
  });
}

/** A call from one file to another: both paths checked, errors mapped. */
async function between(
  root: Root,
  op: string,
  from: Path | string,
  to: Path | string,
  options: CallOptions | undefined,
  run: (source: string, target: string, context: ErrorContext) => Promise<void>,
): Promise<void> {
  const { path: source, context } = beginCall(root.kind, op, from);
  const target = toPath(to, { op, backend: root.kind });
  throwIfAborted(options?.signal, context);
  if (source.isRoot || target.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
  const sourcePath = await root.resolve(source, context);
  const targetPath = await root.resolve(target, context);
  try {
    await run(sourcePath, targetPath, context);
  } catch (error) {
    throw fromErrno(error, context);
  }
}
