import { type CallOptions, type Fs, FusioError, type Path, throwIfAborted, toPath } from "@fusio/core";
import { discard } from "./files.ts";

/** Progress of a long transfer. */
export interface Progress {
  /** Bytes done so far. */
  loaded: number;
  /** Bytes in all, when known. */
  total?: number;
}

/** Options of {@link copy}. */
export interface CopyOptions extends CallOptions {
  /** Bytes per read and write when streaming. Default 1 MiB; memory use is about twice this. */
  chunkSize?: number | undefined;
  /** Called after each chunk is written. */
  onProgress?: ((progress: Progress) => void) | undefined;
}

/**
 * Copies `from` on `source` to `to` on `target`, replacing `to`. Within one namespace (equal
 * `id`s and copy support) the backend copies natively (server-side on object stores);
 * otherwise the bytes stream through in chunks, reading the next chunk while writing the
 * current one. If the copy fails or is aborted, the destination writer is discarded (object
 * stores publish nothing) and a partially written local destination is removed.
 */
export async function copy(
  source: Fs,
  from: Path | string,
  target: Fs,
  to: Path | string,
  options: CopyOptions = {},
): Promise<void> {
  const fromPath = toPath(from);
  const toPathValue = toPath(to);
  const { signal, onProgress } = options;
  const chunkSize = options.chunkSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new FusioError("InvalidArgument", "chunkSize must be a positive safe integer", { op: "copy" });
  }
  throwIfAborted(signal, { op: "copy", path: fromPath.raw });
  if (source.id === target.id && source.capabilities.copy) {
    await source.copy(fromPath, toPathValue, { signal });
    return;
  }
  const reader = await source.open(fromPath, { signal });
  try {
    const total = await reader.size({ signal });
    const writer = await target.open(toPathValue, { create: true, truncate: true, signal });
    let pending: Promise<Uint8Array> | undefined;
    try {
      // Two buffers: the next chunk is read while the current one is written. A buffer is
      // reused only after the writeAll that used it has settled, as the Write contract allows.
      const buffers = [new Uint8Array(Math.min(chunkSize, total)), new Uint8Array(Math.min(chunkSize, total))];
      const read = (turn: number, pos: number) =>
        reader.readExactAt((buffers[turn] as Uint8Array).subarray(0, Math.min(chunkSize, total - pos)), pos, {
          signal,
        });
      let loaded = 0;
      pending = total > 0 ? read(0, 0) : undefined;
      for (let turn = 0; pending; turn ^= 1) {
        const chunk = await pending;
        const next = loaded + chunk.length;
        pending = next < total ? read(turn ^ 1, next) : undefined;
        await writer.writeAll(chunk, { signal });
        loaded = next;
        onProgress?.({ loaded, total });
      }
      await writer.close({ signal });
    } catch (error) {
      pending?.catch(() => undefined);
      await discard(writer);
      if (target.capabilities.visibleBeforeClose) await target.remove(toPathValue).catch(() => undefined);
      throw error;
    }
  } finally {
    await reader.close();
  }
}
