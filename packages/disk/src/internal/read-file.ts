// `Fs.readFile` of a local Fs: the whole file with one open, fstat, read and close. Through a
// handle the same read takes an fstat more (the open refuses directories, then `readToEndAt`
// asks for the size), and every call but the fstat is a round trip to the thread pool, which is
// most of the cost of a small file.
import fs from "node:fs";
import { beginReadFile, type CallOptions, FusioError, type Path, throwIfAborted } from "@fusio/core";
import { fromErrno } from "./errors.ts";
import { closeFd, openFd, readRange } from "./io.ts";
import type { Root } from "./root.ts";

/** `Fs.readFile` of a local Fs: what `open`, `readToEndAt(0)` and `close` give, in fewer calls. */
export async function readWholeFile(root: Root, path: Path | string, options?: CallOptions): Promise<Uint8Array> {
  const { path: key, context } = beginReadFile(root.kind, path, options?.signal);
  const absolute = await root.resolve(key, context);
  let fd: number;
  try {
    fd = await openFd(absolute, fs.constants.O_RDONLY);
  } catch (error) {
    throw fromErrno(error, context);
  }
  let data: Uint8Array;
  try {
    // Synchronous, as in `readToEndAt`: the open descriptor's inode is in memory (see readToEnd).
    const stats = fs.fstatSync(fd);
    // A read-only open of a directory succeeds on POSIX.
    if (stats.isDirectory()) throw new FusioError("IsADirectory", "the path is a directory", context);
    throwIfAborted(options?.signal, context);
    data = await readRange(fd, 0, stats.size);
  } catch (error) {
    await closeFd(fd).catch(() => undefined);
    throw fromErrno(error, context);
  }
  try {
    await closeFd(fd);
  } catch (error) {
    throw fromErrno(error, context);
  }
  return data;
}
