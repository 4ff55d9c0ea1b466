import fs, { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decode, rejectsWith, tempDir } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

// node:fs has no O_ACCMODE; it is 3 on every POSIX system.
const O_ACCMODE = 3;

type Callback = (error: NodeJS.ErrnoException | null, value?: unknown) => void;

/** A native error as node:fs reports it. */
function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall}`), { code, syscall });
}

describe("readFile on local disk", () => {
  let dir: ReturnType<typeof tempDir>;
  let nodeFs: NodeFs;

  beforeEach(() => {
    dir = tempDir("read-file");
    nodeFs = new NodeFs({ root: dir.path });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.cleanup();
  });

  it("opens read-only, stats once, reads, and closes the descriptor it opened", async () => {
    writeFileSync(join(dir.path, "f.txt"), "hello, file");
    const open = vi.spyOn(fs, "open");
    // The size comes from a synchronous fstat of the open descriptor (no thread-pool trip).
    const fstat = vi.spyOn(fs, "fstatSync");
    const asyncFstat = vi.spyOn(fs, "fstat");
    const close = vi.spyOn(fs, "close");
    expect(decode(await nodeFs.readFile("f.txt"))).toBe("hello, file");
    expect(open).toHaveBeenCalledTimes(1);
    expect((open.mock.calls[0]?.[1] as unknown as number) & O_ACCMODE).toBe(fs.constants.O_RDONLY);
    expect(fstat).toHaveBeenCalledTimes(1);
    expect(asyncFstat).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
    expect(close.mock.calls[0]?.[0]).toBe(fstat.mock.calls[0]?.[0]);
  });

  it("gives a plain Uint8Array of exactly the file's bytes, not a Buffer", async () => {
    const data = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    writeFileSync(join(dir.path, "bin"), data);
    const read = await nodeFs.readFile("bin");
    expect(read.constructor).toBe(Uint8Array);
    expect(read.byteOffset).toBe(0);
    expect(read.buffer.byteLength).toBe(data.length);
    expect(read).toEqual(data);
  });

  it("a directory rejects IsADirectory and its descriptor is closed; through a file NotADirectory", async () => {
    await nodeFs.createDirAll("d/e");
    const close = vi.spyOn(fs, "close");
    await rejectsWith(nodeFs.readFile("d"), "IsADirectory");
    expect(close).toHaveBeenCalledTimes(1);
    await rejectsWith(nodeFs.readFile(""), "IsADirectory");
    writeFileSync(join(dir.path, "plain"), "x");
    await rejectsWith(nodeFs.readFile("plain/child"), "NotADirectory");
    await rejectsWith(nodeFs.readFile("missing/child"), "NotFound");
  });

  it("errno errors map to their kinds: a refused open is PermissionDenied, a failed read Io (descriptor closed)", async () => {
    writeFileSync(join(dir.path, "f.txt"), "data");
    vi.spyOn(fs, "open").mockImplementationOnce(((_path: string, _flags: number, _mode: number, callback: Callback) =>
      process.nextTick(() => callback(errno("EACCES", "open")))) as unknown as typeof fs.open);
    await rejectsWith(nodeFs.readFile("f.txt"), "PermissionDenied");
    vi.spyOn(fs, "read").mockImplementationOnce(((...args: unknown[]) => {
      const callback = args.at(-1) as Callback;
      process.nextTick(() => callback(errno("EIO", "read")));
    }) as unknown as typeof fs.read);
    const close = vi.spyOn(fs, "close");
    await rejectsWith(nodeFs.readFile("f.txt"), "Io");
    expect(close).toHaveBeenCalledTimes(1);
    expect(decode(await nodeFs.readFile("f.txt"))).toBe("data");
  });

  it("a signal that fires while the file is being opened rejects Aborted, and the descriptor is closed", async () => {
    writeFileSync(join(dir.path, "f.txt"), "data");
    const controller = new AbortController();
    const realOpen = fs.open;
    vi.spyOn(fs, "open").mockImplementationOnce(((path: string, flags: number, mode: number, callback: Callback) =>
      realOpen(path, flags, mode, (error, fd) => {
        controller.abort();
        callback(error, fd);
      })) as unknown as typeof fs.open);
    const read = vi.spyOn(fs, "read");
    const close = vi.spyOn(fs, "close");
    await rejectsWith(nodeFs.readFile("f.txt", { signal: controller.signal }), "Aborted");
    expect(read).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("errors carry the backend, op readFile and the path, never the absolute root", async () => {
    const error = await rejectsWith(nodeFs.readFile("missing/file.bin"), "NotFound");
    expect(error.backend).toBe("node");
    expect(error.op).toBe("readFile");
    expect(error.path).toBe("missing/file.bin");
    expect(error.message).not.toContain(dir.path);
  });
});
