import fs, { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { decode, rejectsWith, tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

// node:fs has no O_ACCMODE; it is 3 on every POSIX system.
const O_ACCMODE = 3;
const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_TRUNC } = fs.constants;

describe("NodeFile on local disk", () => {
  let dir: ReturnType<typeof tempDir>;
  let nodeFs: NodeFs;

  beforeEach(() => {
    dir = tempDir("file");
    nodeFs = new NodeFs({ root: dir.path });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.cleanup();
  });

  it("opens read-only without write access, and for writing with O_APPEND only", async () => {
    writeFileSync(join(dir.path, "f.bin"), "data");
    const open = vi.spyOn(fs, "open");
    const flagsOf = (): number => open.mock.calls.at(-1)?.[1] as unknown as number;
    await (await nodeFs.open("f.bin")).close();
    expect(flagsOf() & O_ACCMODE).toBe(O_RDONLY);
    expect(flagsOf() & O_APPEND).toBe(0);
    await (await nodeFs.open("f.bin", { write: true, read: false })).close();
    expect(flagsOf() & O_ACCMODE).toBe(O_WRONLY);
    expect(flagsOf() & O_APPEND).toBe(O_APPEND);
    await (await nodeFs.open("f.bin", { write: true })).close();
    expect(flagsOf() & O_ACCMODE).toBe(O_RDWR);
    await (await nodeFs.open("f.bin", { truncate: true })).close();
    expect(flagsOf() & O_TRUNC).toBe(O_TRUNC);
    expect(readFileSync(join(dir.path, "f.bin")).length).toBe(0);
  });

  it("readExactAt reads straight into the caller's buffer, and concurrent reads are issued at once", async () => {
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
    writeFileSync(join(dir.path, "big.bin"), data);
    const file = await nodeFs.open("big.bin");
    const read = vi.spyOn(fs, "read");
    const buffers = Array.from({ length: 16 }, () => new Uint8Array(4096));
    const pending = buffers.map((buf, i) => file.readExactAt(buf, i * 65_536 + 3));
    // All 16 reads reached the OS before any completed: they are not serialised.
    expect(read.mock.calls.length).toBe(16);
    expect(read.mock.calls.map((args) => args[1])).toEqual(buffers);
    const results = await Promise.all(pending);
    results.forEach((buf, i) => {
      expect(buf).toBe(buffers[i]);
      expect(buf).toEqual(data.subarray(i * 65_536 + 3, i * 65_536 + 3 + 4096));
    });
    await file.close();
  });

  it("hundreds of writes issued without waiting land in call order", async () => {
    const file = await nodeFs.open("ordered.log", { create: true });
    const lines = Array.from({ length: 300 }, (_, i) => `${i}:${"x".repeat((i * 37) % 5000)}\n`);
    await Promise.all(lines.map((line) => file.writeAll(text(line))));
    await file.close();
    expect(readFileSync(join(dir.path, "ordered.log"), "utf8")).toBe(lines.join(""));
  });

  it("a queued write whose signal fires before it starts is dropped; the others still land in order", async () => {
    const file = await nodeFs.open("abort.log", { create: true });
    const controller = new AbortController();
    const first = file.writeAll(text("one,"));
    const second = file.writeAll(text("two,"), { signal: controller.signal });
    const third = file.writeAll(text("three"));
    controller.abort();
    await first;
    await rejectsWith(second, "Aborted");
    await third;
    await file.close();
    expect(readFileSync(join(dir.path, "abort.log"), "utf8")).toBe("one,three");
  });

  it("close waits for reads and writes in flight before releasing the descriptor", async () => {
    writeFileSync(join(dir.path, "busy.bin"), "0123456789");
    const file = await nodeFs.open("busy.bin", { write: true });
    const exact = file.readExactAt(new Uint8Array(4), 2);
    const toEnd = file.readToEndAt(5);
    const write = file.writeAll(text("abc"));
    const closing = file.close();
    await rejectsWith(file.readExactAt(new Uint8Array(1), 0), "Closed");
    expect(decode(await exact)).toBe("2345");
    // The append races the read, which may or may not see it.
    expect(decode(await toEnd)).toMatch(/^56789(abc)?$/);
    await write;
    await closing;
    expect(readFileSync(join(dir.path, "busy.bin"), "utf8")).toBe("0123456789abc");
  });

  it("argument errors come before refusals; refusals name what was refused; calls made before close finish", async () => {
    writeFileSync(join(dir.path, "args.bin"), "0123456789");
    const reader = await nodeFs.open("args.bin");
    const size = reader.size();
    const sync = reader.sync("data");
    await reader.close();
    expect(await size).toBe(10);
    await sync; // issued before close: it finishes
    await rejectsWith(reader.readExactAt(new Uint8Array(1), -1), "InvalidArgument");
    await rejectsWith(reader.readExactAt("nope" as unknown as Uint8Array, 0), "InvalidArgument");
    await rejectsWith(reader.readToEndAt(1.5), "InvalidArgument");
    await rejectsWith(reader.writeAll([1] as unknown as Uint8Array), "InvalidArgument");
    await rejectsWith(reader.readExactAt(new Uint8Array(1), 0), "Closed");
    await rejectsWith(reader.size(), "Closed");

    const writer = await nodeFs.open("args.bin", { write: true, read: false });
    await expect(writer.readExactAt(new Uint8Array(1), 0)).rejects.toThrow(/not opened for reading/);
    await expect(writer.readToEndAt(0)).rejects.toThrow(/not opened for reading/);
    await rejectsWith(writer.sync("sometimes" as "all"), "InvalidArgument");
    const aborted = AbortSignal.abort(new Error("stop"));
    const error = await writer.writeAll(text("x"), { signal: aborted }).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Aborted") && (error as FusioError).cause).toBe(aborted.reason);
    await writer.close();
    const readOnly = await nodeFs.open("args.bin");
    await expect(readOnly.writeAll(text("x"))).rejects.toThrow(/not opened for writing/);
    await readOnly.close();
    expect(readFileSync(join(dir.path, "args.bin"), "utf8")).toBe("0123456789");
  });

  it("close with an aborted signal lets calls in flight finish, skips syncOnClose, releases the descriptor", async () => {
    const file = await nodeFs.open("discard.bin", { create: true, syncOnClose: "all" });
    const fsync = vi.spyOn(fs, "fsync");
    const fdatasync = vi.spyOn(fs, "fdatasync");
    const close = vi.spyOn(fs, "close");
    const write = file.writeAll(text("kept"));
    const closing = file.close({ signal: AbortSignal.abort() });
    await rejectsWith(file.writeAll(text("x")), "Closed");
    await write;
    await rejectsWith(closing, "Aborted");
    expect(close).toHaveBeenCalledTimes(1);
    expect(fsync).not.toHaveBeenCalled();
    expect(fdatasync).not.toHaveBeenCalled();
    await file.close();
    await rejectsWith(file.size(), "Closed");
    expect(close).toHaveBeenCalledTimes(1);
    expect(readFileSync(join(dir.path, "discard.bin"), "utf8")).toBe("kept");
  });

  it("opening a directory rejects IsADirectory; removing one too; a path through a file is NotADirectory", async () => {
    await nodeFs.createDirAll("d/e");
    await rejectsWith(nodeFs.open("d"), "IsADirectory");
    await rejectsWith(nodeFs.open("d", { write: true }), "IsADirectory");
    await rejectsWith(nodeFs.open(""), "IsADirectory");
    await rejectsWith(nodeFs.remove("d"), "IsADirectory");
    await rejectsWith(nodeFs.copy("d", "x"), "IsADirectory");
    await nodeFs.putConditional("plain", text("x"), { ifNotExists: true });
    await rejectsWith(nodeFs.open("plain/child", { create: true }), "NotADirectory");
    await rejectsWith(nodeFs.stat("plain/child"), "NotADirectory");
    await nodeFs.remove("plain/child");
  });

  it("tags change on every plain write through a handle, and follow content across processes' views", async () => {
    const first = await nodeFs.putConditional("t.json", text("v1"), { ifNotExists: true });
    const tags = new Set([first]);
    const file = await nodeFs.open("t.json", { write: true });
    for (let i = 0; i < 20; i++) {
      await file.writeAll(text("+"));
      const loaded = await nodeFs.loadWithTag("t.json");
      expect(tags.has(loaded?.tag as string)).toBe(false);
      tags.add(loaded?.tag as string);
    }
    await file.close();
    // A second NodeFs on the same root computes the same tag (it is a pure function of the file).
    const other = new NodeFs({ root: dir.path });
    expect((await other.loadWithTag("t.json"))?.tag).toBe((await nodeFs.loadWithTag("t.json"))?.tag);
    // Tag-guarded writes from the other instance see the plain writes.
    await rejectsWith(other.putConditional("t.json", text("v2"), { ifMatch: first }), "PreconditionFailed");
  });

  it("stat reports lastModified and directories; list stops when the consumer stops", async () => {
    await nodeFs.createDirAll("dir");
    const meta = await nodeFs.stat("dir");
    expect(meta.isDirectory).toBe(true);
    expect(meta.lastModified).toBeInstanceOf(Date);
    expect((await nodeFs.stat("")).isDirectory).toBe(true);
    for (let i = 0; i < 5; i++) await nodeFs.putConditional(`dir/${i}`, text("x"), { ifNotExists: true });
    const seen: string[] = [];
    for await (const entry of nodeFs.list("dir")) {
      seen.push(entry.path.raw);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["dir/0", "dir/1"]);
  });

  it("a failed append rejects with its errno's kind and refuses the writes queued behind it and every later one", async () => {
    const file = await nodeFs.open("failing.log", { create: true });
    vi.spyOn(fs, "write").mockImplementationOnce(((...args: unknown[]) => {
      const callback = args.at(-1) as (error: NodeJS.ErrnoException, written: number) => void;
      const error = Object.assign(new Error("EIO: i/o error, write"), { code: "EIO", syscall: "write" });
      setImmediate(() => callback(error, 0));
    }) as typeof fs.write);
    const first = file.writeAll(text("one"));
    const queued = file.writeAll(text("two"));
    const failure = await rejectsWith(first, "Io");
    expect(failure.message).toContain("EIO (write)");
    expect((await rejectsWith(queued, "Io")).message).toContain("earlier write");
    await rejectsWith(file.writeAll(text("three")), "Io");
    await file.close();
    expect(readFileSync(join(dir.path, "failing.log"), "utf8")).toBe("");
  });

  it("a read past the end rejects UnexpectedEof, and a zero-length read checks the size", async () => {
    writeFileSync(join(dir.path, "short.bin"), "0123456789");
    const file = await nodeFs.open("short.bin");
    const buf = new Uint8Array(8);
    await rejectsWith(file.readExactAt(buf, 5), "UnexpectedEof");
    expect(decode(await file.readExactAt(new Uint8Array(5), 5))).toBe("56789");
    await rejectsWith(file.readExactAt(new Uint8Array(0), 11), "UnexpectedEof");
    expect(await file.readExactAt(new Uint8Array(0), 10)).toHaveLength(0);
    await file.close();
  });

  it("errors carry the backend, op and path, never the absolute root", async () => {
    const error = await rejectsWith(nodeFs.open("missing/file.bin"), "NotFound");
    expect(FusioError.is(error)).toBe(true);
    expect(error.backend).toBe("node");
    expect(error.op).toBe("open");
    expect(error.path).toBe("missing/file.bin");
    expect(error.message).not.toContain(dir.path);
  });
});
