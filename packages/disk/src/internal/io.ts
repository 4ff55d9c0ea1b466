// The node:fs calls of the engine, as promises. The callback API on a file descriptor is the
// fastest primitive on Node, Bun and Deno alike (see shared/reference/disk-notes.md), and calling
// through the `fs` default export at call time keeps every system call observable to the tests
// (which spy on it).
import { Buffer } from "node:buffer";
import fs from "node:fs";
import process from "node:process";

export { fs };

/**
 * The most bytes one `fs.read` or `fs.write` is asked to move: node:fs refuses more than
 * 2^31 - 1 (a `RangeError`), and Linux moves at most this much per call anyway. Larger buffers
 * are read and written in pieces.
 */
export const MAX_IO: number = 0x7fff_f000;

type Callback<T> = (error: NodeJS.ErrnoException | null, value?: T) => void;

/** Runs a callback-style node:fs call (`run(callback)`) as a promise. */
function promise<T = void>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

export const openFd = (path: string, flags: number): Promise<number> =>
  promise((callback) => fs.open(path, flags, 0o666, callback));

export const closeFd = (fd: number): Promise<void> => promise((callback) => fs.close(fd, callback));

export const fstat = (fd: number): Promise<fs.Stats> => promise((callback) => fs.fstat(fd, callback));

export const fstatBig = (fd: number): Promise<fs.BigIntStats> =>
  promise((callback) => fs.fstat(fd, { bigint: true }, callback));

export const fsyncFd = (fd: number, level: "data" | "all"): Promise<void> =>
  promise((callback) => (level === "data" ? fs.fdatasync(fd, callback) : fs.fsync(fd, callback)));

/**
 * One positional read into `buf` from `offset` on (at most {@link MAX_IO} bytes); resolves to the
 * bytes read (0 at the end).
 */
export const readAt = (fd: number, buf: Uint8Array, offset: number, position: number): Promise<number> =>
  promise((callback) => fs.read(fd, buf, offset, Math.min(buf.length - offset, MAX_IO), position, callback));

export const stat = (path: string): Promise<fs.Stats> => promise((callback) => fs.stat(path, callback));

export const lstat = (path: string): Promise<fs.Stats> => promise((callback) => fs.lstat(path, callback));

export const realpath = (path: string): Promise<string> => promise((callback) => fs.realpath.native(path, callback));

export const readlink = (path: string): Promise<string> => promise((callback) => fs.readlink(path, callback));

export const readdir = (path: string): Promise<fs.Dirent[]> =>
  promise((callback) => fs.readdir(path, { withFileTypes: true }, callback));

export const readText = (path: string): Promise<string> => promise((callback) => fs.readFile(path, "utf8", callback));

export const unlink = (path: string): Promise<void> => promise((callback) => fs.unlink(path, callback));

export const link = (from: string, to: string): Promise<void> => promise((callback) => fs.link(from, to, callback));

export const rename = (from: string, to: string): Promise<void> => promise((callback) => fs.rename(from, to, callback));

export const copyFile = (from: string, to: string): Promise<void> =>
  promise((callback) => fs.copyFile(from, to, fs.constants.COPYFILE_FICLONE, callback));

/** `mkdir -p`; resolves to the first directory it created, or undefined when all existed. */
export function mkdirs(path: string): Promise<string | undefined> {
  return promise<string | undefined>((callback) => fs.mkdir(path, { recursive: true }, callback)).catch(
    (error: NodeJS.ErrnoException) => {
      // A file in the way: report it as what it is, not as "already exists".
      if (error?.code === "EEXIST") error.code = "ENOTDIR";
      throw error;
    },
  );
}

/** Appends all of `data` through `fd` (opened with O_APPEND), looping on short writes. */
export async function writeFully(fd: number, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const length = Math.min(data.length - done, MAX_IO);
    done += await promise<number>((callback) => fs.write(fd, data, done, length, null, callback));
  }
}

/**
 * Reads `[pos, pos + length)` of `fd` into a new array; returns fewer bytes when the file is
 * shorter (truncated meanwhile).
 */
export async function readRange(fd: number, pos: number, length: number): Promise<Uint8Array> {
  // Uninitialised memory of exactly the right size (no zero-filling of what is read over anyway);
  // a plain Uint8Array view, so the caller gets no Buffer and no pooled memory.
  const buf = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  for (let done = 0; done < length; ) {
    const read = await readAt(fd, buf, done, pos + done);
    if (read === 0) return buf.subarray(0, done);
    done += read;
  }
  return buf;
}

/**
 * fsyncs a directory, so that names created, renamed or linked in it survive a power cut.
 * Platforms that cannot open a directory for syncing (Windows) skip it.
 */
export async function syncDir(path: string): Promise<void> {
  let fd: number;
  try {
    fd = await openFd(path, fs.constants.O_RDONLY);
  } catch (error) {
    if (process.platform === "win32") return;
    throw error;
  }
  try {
    await fsyncFd(fd, "all");
  } catch (error) {
    // Some file systems refuse fsync on directories (EINVAL); there is nothing more to do there.
    if ((error as { code?: string }).code !== "EINVAL") throw error;
  } finally {
    await closeFd(fd);
  }
}
