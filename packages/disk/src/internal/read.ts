// Reads of an open file besides the common case, which DiskFile.readExactAt makes itself (one
// callback `fs.read` into the caller's buffer): short reads, zero-length reads, reads behind a
// runtime writer, whole-file reads and `size`.
import {
  type CallOptions,
  checkBytes,
  checkFileCall,
  checkPosition,
  type ErrorContext,
  FusioError,
  fileContext,
} from "@fusio/core";
import { flushWriter } from "./append.ts";
import { fromErrno } from "./errors.ts";
import { done, type Handle } from "./handle.ts";
import { fs, fstat, readAt, readRange } from "./io.ts";

/**
 * Continues a short positional read (or settles it); `filled` bytes of `buf` are filled, the
 * last `fs.read` returned `read` bytes or `error`. The read is counted in flight until it settles.
 */
export function readMore<T extends Uint8Array>(
  h: Handle,
  buf: T,
  pos: number,
  filled: number,
  read: number,
  error: NodeJS.ErrnoException | null,
  resolve: (buf: T) => void,
  reject: (error: unknown) => void,
): void {
  if (error || filled === buf.length || read === 0) {
    done(h);
    if (error) reject(fromErrno(error, fileContext(h.kind, "readExactAt", h.path)));
    else if (filled === buf.length) resolve(buf);
    else reject(eof(fileContext(h.kind, "readExactAt", h.path), buf.length, pos));
  } else {
    fs.read(h.fd, buf, filled, buf.length - filled, pos + filled, (nextError, nextRead) =>
      readMore(h, buf, pos, filled + (nextRead ?? 0), nextRead ?? 0, nextError, resolve, reject),
    );
  }
}

/**
 * `readExactAt` past its common case: invalid arguments and refused calls, zero-length reads
 * (which must still reject past the end), and reads behind a runtime writer (which flush it first).
 */
export async function readExact<T extends Uint8Array>(
  h: Handle,
  buf: T,
  pos: number,
  options: CallOptions | undefined,
): Promise<T> {
  const context = fileContext(h.kind, "readExactAt", h.path);
  checkBytes(buf, "buf", context);
  checkPosition(pos, "pos", context);
  checkFileCall(h, "read", options?.signal, context);
  h.busy++;
  try {
    if (buf.length === 0) {
      if (pos > (await fstat(h.fd)).size) throw eof(context, 0, pos);
      return buf;
    }
    await flushWriter(h, "readExactAt");
    for (let filled = 0; filled < buf.length; ) {
      const read = await readAt(h.fd, buf, filled, pos + filled);
      if (read === 0) throw eof(context, buf.length, pos);
      filled += read;
    }
    return buf;
  } catch (error) {
    throw fromErrno(error, context);
  } finally {
    done(h);
  }
}

/** `readToEndAt` once its call is checked: bytes [pos, size) in a new array. */
export async function readToEnd(h: Handle, pos: number, context: ErrorContext): Promise<Uint8Array> {
  try {
    if (h.writer) await flushWriter(h, "readToEndAt");
    // The size by a synchronous fstat: the inode of an open descriptor is in memory, so this
    // costs about a microsecond, where a trip through the runtime's thread pool costs 10-30 µs
    // (whole reads of 1 MiB: 1.1-1.2x the throughput of an async fstat, in Bun, Deno and Node).
    // Only a network file system may ask its server (NFS revalidates attributes now and then).
    const size = fs.fstatSync(h.fd).size;
    if (pos > size) throw eof(context, 0, pos);
    return await readRange(h.fd, pos, size - pos);
  } catch (error) {
    throw fromErrno(error, context);
  }
}

/** `size` once its call is checked: the size of the file, with what a runtime writer holds. */
export async function sizeOf(h: Handle, context: ErrorContext): Promise<number> {
  if (h.writer) await flushWriter(h, "size");
  try {
    return (await fstat(h.fd)).size;
  } catch (error) {
    throw fromErrno(error, context);
  }
}

function eof(context: ErrorContext, length: number, pos: number): FusioError {
  return new FusioError("UnexpectedEof", `the file ends before ${length} bytes at ${pos} could be read`, context);
}
