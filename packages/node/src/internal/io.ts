// Hand-promisified callback node:fs calls. The callback API on a file descriptor is the fastest
// primitive (see shared/reference/disk-notes.md), and calling through the `fs` default export
// at call time keeps every system call observable to the tests (which spy on it).
import fs from "node:fs";

export type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/** Runs one callback-style call as a promise. */
export function call<T>(run: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((error, value) => (error ? reject(error) : resolve(value)));
  });
}

export function openFd(path: string, flags: number, mode = 0o666): Promise<number> {
  return call<number>((callback) => fs.open(path, flags, mode, callback));
}

export function closeFd(fd: number): Promise<void> {
  return call<void>((callback) => fs.close(fd, (error) => callback(error, undefined)));
}

export function fstat(fd: number): Promise<fs.Stats> {
  return call<fs.Stats>((callback) => fs.fstat(fd, callback));
}

export function fstatBig(fd: number): Promise<fs.BigIntStats> {
  return call<fs.BigIntStats>((callback) => fs.fstat(fd, { bigint: true }, callback));
}

export function fsyncFd(fd: number, level: "data" | "all"): Promise<void> {
  return call<void>((callback) => {
    const done = (error: NodeJS.ErrnoException | null): void => callback(error, undefined);
    if (level === "data") fs.fdatasync(fd, done);
    else fs.fsync(fd, done);
  });
}

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

/** `mkdir -p`; resolves to the first directory it created, or undefined when all existed. */
export function mkdirs(path: string): Promise<string | undefined> {
  return call<string | undefined>((callback) =>
    fs.mkdir(path, { recursive: true }, (error, made) => {
      // A file in the way: report it as what it is, not as "already exists".
      if (error?.code === "EEXIST") error.code = "ENOTDIR";
      callback(error, made);
    }),
  );
}

export function realpath(path: string): Promise<string> {
  return call<string>((callback) => fs.realpath.native(path, callback));
}

export function readlink(path: string): Promise<string> {
  return call<string>((callback) => fs.readlink(path, callback));
}

export function stat(path: string): Promise<fs.Stats> {
  return call<fs.Stats>((callback) => fs.stat(path, callback));
}

export function lstat(path: string): Promise<fs.Stats> {
  return call<fs.Stats>((callback) => fs.lstat(path, callback));
}

export function unlink(path: string): Promise<void> {
  return call<void>((callback) => fs.unlink(path, (error) => callback(error, undefined)));
}

export function link(from: string, to: string): Promise<void> {
  return call<void>((callback) => fs.link(from, to, (error) => callback(error, undefined)));
}

export function rename(from: string, to: string): Promise<void> {
  return call<void>((callback) => fs.rename(from, to, (error) => callback(error, undefined)));
}

export function copyFile(from: string, to: string): Promise<void> {
  return call<void>((callback) =>
    fs.copyFile(from, to, fs.constants.COPYFILE_FICLONE, (error) => callback(error, undefined)),
  );
}

export function readdir(path: string): Promise<fs.Dirent[]> {
  return call<fs.Dirent[]>((callback) => fs.readdir(path, { withFileTypes: true }, callback));
}

export function readText(path: string): Promise<string> {
  return call<string>((callback) => fs.readFile(path, "utf8", callback));
}

/** True for errno codes that mean "this path does not exist" (a missing file or parent). */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
