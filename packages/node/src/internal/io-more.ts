// The node:fs calls of the lazily loaded parts (see io.ts).
import fs from "node:fs";
import process from "node:process";
import { call, closeFd, openFd } from "./io.ts";

export const fstatBig = (fd: number): Promise<fs.BigIntStats> => call(fs.fstat, fd, { bigint: true });

export const fsyncFd = (fd: number, level: "data" | "all"): Promise<void> =>
  call(level === "data" ? fs.fdatasync : fs.fsync, fd);

export const stat = (path: string): Promise<fs.Stats> => call(fs.stat, path);

export const lstat = (path: string): Promise<fs.Stats> => call(fs.lstat, path);

export const unlink = (path: string): Promise<void> => call(fs.unlink, path);

export const link = (from: string, to: string): Promise<void> => call(fs.link, from, to);

export const rename = (from: string, to: string): Promise<void> => call(fs.rename, from, to);

export const copyFile = (from: string, to: string): Promise<void> =>
  call(fs.copyFile, from, to, fs.constants.COPYFILE_FICLONE);

export const readdir = (path: string): Promise<fs.Dirent[]> => call(fs.readdir, path, { withFileTypes: true });

export const readText = (path: string): Promise<string> => call(fs.readFile, path, "utf8");

/** Appends all of `data` through `fd` (opened with O_APPEND), looping on short writes. */
export function writeFully(fd: number, data: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = 0;
    const onWrite = (error: NodeJS.ErrnoException | null, written: number): void => {
      done += written;
      if (error) {
        reject(error);
      } else if (done >= data.length) {
        resolve();
      } else {
        fs.write(fd, data, done, data.length - done, null, onWrite);
      }
    };
    if (data.length === 0) resolve();
    else fs.write(fd, data, 0, data.length, null, onWrite);
  });
}

/** Reads `[0, length)` of `fd` into a new array; returns fewer bytes when the file is shorter. */
export function readPrefix(fd: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  return new Promise<Uint8Array>((resolve, reject) => {
    let done = 0;
    const onRead = (error: NodeJS.ErrnoException | null, read: number): void => {
      done += read;
      if (error) {
        reject(error);
      } else if (done >= length || read === 0) {
        resolve(done === length ? buf : buf.subarray(0, done));
      } else {
        fs.read(fd, buf, done, length - done, done, onRead);
      }
    };
    if (length === 0) resolve(buf);
    else fs.read(fd, buf, 0, length, 0, onRead);
  });
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
