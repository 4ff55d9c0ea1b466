import { type ErrorContext, FusioError, type Path } from "@fusio/core";
import { opfsError } from "./errors.ts";
import { type SyncCapableFileHandle, writeFully } from "./sync-access-handle.ts";

/**
 * The directory at `segments` below `root`; with `create`, missing levels are made.
 * @throws FusioError `NotFound` (a level is missing), `NotADirectory` (a level is a file).
 */
export async function directoryAt(
  root: FileSystemDirectoryHandle,
  segments: readonly string[],
  create: boolean,
  context: ErrorContext,
): Promise<FileSystemDirectoryHandle> {
  let directory = root;
  for (const name of segments) {
    try {
      directory = await directory.getDirectoryHandle(name, { create });
    } catch (error) {
      throw opfsError(error, context, "directory");
    }
  }
  return directory;
}

/** The directory that holds `path` and the name of `path` in it. */
export async function parentOf(
  root: FileSystemDirectoryHandle,
  path: Path,
  create: boolean,
  context: ErrorContext,
): Promise<{ directory: FileSystemDirectoryHandle; name: string }> {
  const segments = path.parts();
  const name = segments.pop();
  if (name === undefined) throw new FusioError("IsADirectory", "the root is not a file", context);
  return { directory: await directoryAt(root, segments, create, context), name };
}

/**
 * The file at `path`, or `undefined` when it (or a directory above it) is missing.
 * @throws FusioError `IsADirectory` when `path` is a directory, `NotADirectory` when a level above is a file.
 */
export async function findFile(
  root: FileSystemDirectoryHandle,
  path: Path,
  context: ErrorContext,
): Promise<FileSystemFileHandle | undefined> {
  try {
    const { directory, name } = await parentOf(root, path, false, context);
    return await directory.getFileHandle(name);
  } catch (error) {
    const mapped = opfsError(error, context);
    if (mapped.kind === "NotFound") return undefined;
    throw mapped;
  }
}

/** The file at `path`, made (with its directories) when missing. */
export async function createFile(
  root: FileSystemDirectoryHandle,
  path: Path,
  context: ErrorContext,
): Promise<FileSystemFileHandle> {
  const { directory, name } = await parentOf(root, path, true, context);
  try {
    return await directory.getFileHandle(name, { create: true });
  } catch (error) {
    throw opfsError(error, context);
  }
}

/** The whole content of a file, from a snapshot (`getFile`), which any context may take. */
export async function readWhole(handle: FileSystemFileHandle, context: ErrorContext): Promise<Uint8Array> {
  try {
    return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  } catch (error) {
    throw opfsError(error, context);
  }
}

/**
 * Replaces the content of a file with `data` at once: a writable stream swaps the new content in
 * when it closes, so a reader sees the old bytes or the new ones. Where only sync access handles
 * exist (some browsers' workers), the file is rewritten in place.
 */
export async function replaceWhole(
  handle: FileSystemFileHandle,
  data: Uint8Array,
  context: ErrorContext,
): Promise<void> {
  try {
    if (typeof handle.createWritable === "function") {
      const stream = await handle.createWritable({ keepExistingData: false });
      try {
        await stream.write(data as Uint8Array<ArrayBuffer>);
      } catch (error) {
        await stream.abort().catch(() => {});
        throw error;
      }
      await stream.close();
      return;
    }
    const access = await (handle as SyncCapableFileHandle).createSyncAccessHandle({ mode: "readwrite-unsafe" });
    try {
      access.truncate(0);
      writeFully(access, data, 0);
      access.flush();
    } finally {
      access.close();
    }
  } catch (error) {
    throw opfsError(error, context);
  }
}
