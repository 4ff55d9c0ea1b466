import { type CallOptions, type Fs, FusioError, type Path } from "@fusio/core";

/**
 * The whole content of the file at `path`: the backend's own `Fs.readFile` where it has one
 * (local disk, memory, S3, Azure), else `open`, `readToEndAt(0)` and `close`. Both give the same bytes.
 * @throws FusioError `NotFound`, `IsADirectory`, and the backend's read errors.
 */
export async function readFile(fs: Fs, path: Path | string, options: CallOptions = {}): Promise<Uint8Array> {
  if (fs.readFile) return fs.readFile(path, options);
  const file = await fs.open(path, { signal: options.signal });
  try {
    return await file.readToEndAt(0, options);
  } finally {
    await file.close();
  }
}

/** Options of {@link writeFile}. */
export interface WriteFileOptions extends CallOptions {
  /** Append to existing content instead of replacing it. Default false. */
  append?: boolean | undefined;
}

/**
 * Creates or replaces (or, with `append`, extends) the file at `path` with `data`. If writing
 * fails or is aborted, the handle is closed with an aborted signal so object stores publish
 * nothing.
 */
export async function writeFile(
  fs: Fs,
  path: Path | string,
  data: Uint8Array,
  options: WriteFileOptions = {},
): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: !options.append, signal: options.signal });
  try {
    await file.writeAll(data, options);
    await file.close(options);
  } catch (error) {
    await discard(file);
    throw error;
  }
}

/** True when `path` exists (file or directory). Other errors than `NotFound` reject. */
export async function exists(fs: Fs, path: Path | string, options: CallOptions = {}): Promise<boolean> {
  try {
    await fs.stat(path, options);
    return true;
  } catch (error) {
    if (FusioError.is(error, "NotFound")) return false;
    throw error;
  }
}

/**
 * Closes a writer without publishing: `close` with an aborted signal, which object stores turn
 * into an aborted upload. Errors are swallowed: this runs on a path that is already failing.
 */
export async function discard(file: { close(options?: CallOptions): Promise<void> }): Promise<void> {
  try {
    await file.close({ signal: AbortSignal.abort() });
  } catch {
    // Expected: an aborted close rejects `Aborted`.
  }
}
