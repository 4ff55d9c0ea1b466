// Hand-promisified callback node:fs calls. The callback API on a file descriptor is the fastest
// primitive (see shared/reference/disk-notes.md), and calling through the `fs` default export
// at call time keeps every system call observable to the tests (which spy on it). The calls
// only the lazily loaded parts make are in io-more.ts.
import fs from "node:fs";

// The always-loaded modules take `fs` from here: a bundle keeps one `import` of node:fs for them
// (esbuild repeats the import statement per module that has one).
export { fs };

/** Runs a callback-style node:fs call (`run(...args, callback)`) as a promise. */
export function call<T = void>(run: (...args: never[]) => void, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    (run as (...args: unknown[]) => void)(...args, (error: unknown, value: T) =>
      error ? reject(error) : resolve(value),
    );
  });
}

export const openFd = (path: string, flags: number): Promise<number> => call(fs.open, path, flags, 0o666);

export const closeFd = (fd: number): Promise<void> => call(fs.close, fd);

export const fstat = (fd: number): Promise<fs.Stats> => call(fs.fstat, fd);

export const realpath = (path: string): Promise<string> => call(fs.realpath.native, path);

export const readlink = (path: string): Promise<string> => call(fs.readlink, path);

/** `mkdir -p`; resolves to the first directory it created, or undefined when all existed. */
export function mkdirs(path: string): Promise<string | undefined> {
  return call<string | undefined>(fs.mkdir, path, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    // A file in the way: report it as what it is, not as "already exists".
    if (error?.code === "EEXIST") error.code = "ENOTDIR";
    throw error;
  });
}

/** The errno code of a native error (`"ENOENT"`, ...), or undefined. */
export function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** True for errno codes that mean "this path does not exist" (a missing file or parent). */
export function isMissing(error: unknown): boolean {
  const code = codeOf(error);
  return code === "ENOENT" || code === "ENOTDIR";
}
