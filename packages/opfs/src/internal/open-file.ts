// The two ways `OpfsFs.open` makes a handle: a sync access handle in a dedicated worker, a
// `File` snapshot plus a writable stream elsewhere.
import type { ErrorContext, NormalizedOpenOptions, Path } from "@fusio/core";
import { OpfsStreamFile } from "../opfs-stream-file.ts";
import { OpfsSyncFile } from "../opfs-sync-file.ts";
import { parentOf } from "./entries.ts";
import { opfsError } from "./errors.ts";
import type { SyncCapableFileHandle } from "./sync-access-handle.ts";
import { renewGeneration } from "./tags.ts";

/** What both ways need: the Fs root, the path and its file, and whether `open` made the file. */
export interface OpenTarget {
  readonly root: FileSystemDirectoryHandle;
  readonly path: Path;
  readonly handle: FileSystemFileHandle;
  readonly created: boolean;
  readonly context: ErrorContext;
}

/** A file on a sync access handle; writers get a new generation (tag) before their first byte. */
export async function openSyncFile(target: OpenTarget, open: NormalizedOpenOptions): Promise<OpfsSyncFile> {
  const { root, path, handle, context } = target;
  let access: Awaited<ReturnType<SyncCapableFileHandle["createSyncAccessHandle"]>>;
  try {
    // "readwrite-unsafe": other handles, in this worker or another, may have the file open too.
    access = await (handle as SyncCapableFileHandle).createSyncAccessHandle({ mode: "readwrite-unsafe" });
  } catch (error) {
    throw opfsError(error, context);
  }
  try {
    if (open.write) await renewGeneration(root, path, context);
    if (open.truncate) access.truncate(0);
  } catch (error) {
    access.close();
    throw opfsError(error, context);
  }
  return new OpfsSyncFile(path, access, open);
}

/** A file read from snapshots and written through a writable stream that publishes at close. */
export async function openStreamFile(target: OpenTarget, open: NormalizedOpenOptions): Promise<OpfsStreamFile> {
  const { root, path, handle, created, context } = target;
  if (!open.write) return new OpfsStreamFile(path, handle, open);
  try {
    const stream = await handle.createWritable({ keepExistingData: open.append });
    const writer = stream.getWriter();
    const startSize = open.append ? (await handle.getFile()).size : 0;
    // The stream starts at offset 0 even when it keeps the data: appends go after it.
    if (startSize > 0) await writer.write({ type: "seek", position: startSize });
    return new OpfsStreamFile(path, handle, open, {
      writer,
      startSize,
      // A new generation first, as for every write: a changed tag never hides a change.
      publishing: async () => {
        await renewGeneration(root, path, context);
      },
      discarded: async () => {
        if (!created) return;
        const { directory, name } = await parentOf(root, path, false, context);
        await directory.removeEntry(name);
      },
    });
  } catch (error) {
    throw opfsError(error, context);
  }
}
