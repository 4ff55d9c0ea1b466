import type { ErrorContext, FileMeta, Path } from "@fusio/core";
import { opfsError } from "./errors.ts";

/**
 * The entries below `directory` (whose path is `base`), unsorted: files with their real sizes,
 * and sub-directories flagged (or, with `recursive`, walked instead). Names that are no valid
 * fusio path segment are skipped, never renamed.
 */
export async function listEntries(
  directory: FileSystemDirectoryHandle,
  base: Path,
  recursive: boolean,
  context: ErrorContext,
  hidden: (name: string) => boolean,
): Promise<FileMeta[]> {
  const found: FileMeta[] = [];
  const pending: Promise<void>[] = [];
  try {
    for await (const [name, handle] of directory.entries()) {
      if (hidden(name)) continue;
      const path = segment(base, name);
      if (path === undefined) continue;
      if (handle.kind === "file") {
        pending.push(
          (handle as FileSystemFileHandle).getFile().then((file) => {
            found.push({ path, size: file.size, lastModified: new Date(file.lastModified) });
          }),
        );
      } else if (recursive) {
        pending.push(
          listEntries(handle as FileSystemDirectoryHandle, path, true, context, () => false).then((below) => {
            found.push(...below);
          }),
        );
      } else {
        found.push({ path, size: 0, isDirectory: true });
      }
    }
    await Promise.all(pending);
  } catch (error) {
    throw opfsError(error, context, "directory");
  }
  return found;
}

function segment(base: Path, name: string): Path | undefined {
  try {
    const path = base.join(name);
    return path.parent().equals(base) ? path : undefined;
  } catch {
    return undefined;
  }
}
