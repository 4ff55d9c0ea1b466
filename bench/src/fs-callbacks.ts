// The bare node:fs callback calls the Bun and Deno groups measure their Fs against.
import fs from "node:fs";

/** One callback `fs.read` at `pos` (the fastest bare positional read in Bun and Deno). */
export function readCallback(fd: number, buf: Uint8Array, pos: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, pos, (error, read) => (error ? reject(error) : resolve(read))),
  );
}

/** The whole of a file from `pos`: fstat, then callback reads into one new buffer. */
export function readToEndCallback(fd: number, pos: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    fs.fstat(fd, (error, stats) => (error ? reject(error) : readRest(fd, stats.size, pos, resolve, reject))),
  );
}

/**
 * The whole of a file from `pos`, with the size from a synchronous fstat: one trip through the
 * thread pool instead of two.
 */
export function readToEndSyncStat(fd: number, pos: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => readRest(fd, fs.fstatSync(fd).size, pos, resolve, reject));
}

/** Callback reads of `[pos, size)` into one new buffer. */
function readRest(
  fd: number,
  size: number,
  pos: number,
  resolve: (out: Uint8Array) => void,
  reject: (error: unknown) => void,
): void {
  const out = new Uint8Array(Buffer.allocUnsafeSlow(size - pos).buffer, 0, size - pos);
  let done = 0;
  const next = (): void =>
    fs.read(fd, out, done, out.length - done, pos + done, (readError, read) => {
      if (readError) return reject(readError);
      done += read;
      if (read === 0 || done === out.length) resolve(out);
      else next();
    });
  next();
}

/** One callback `fs.write` at the descriptor's position (O_APPEND: the end). */
export function writeCallback(fd: number, data: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, data, 0, data.length, null, (error, written) => (error ? reject(error) : resolve(written))),
  );
}
