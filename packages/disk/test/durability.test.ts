// fsync / fdatasync are made where NodeFs promises them. The spies call through to the real
// system calls and only record which file each descriptor is (Linux: /proc/self/fd).
import fs, { readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

describe.runIf(process.platform === "linux")("NodeFs durability calls", () => {
  let dir: ReturnType<typeof tempDir>;
  let root: string;
  let nodeFs: NodeFs;
  let calls: string[];

  beforeEach(() => {
    dir = tempDir("sync");
    root = realpathSync(dir.path);
    nodeFs = new NodeFs({ root });
    calls = [];
    const fsync = fs.fsync;
    const fdatasync = fs.fdatasync;
    const where = (fd: number): string => {
      const path = readlinkSync(`/proc/self/fd/${fd}`);
      return path.startsWith(root) ? path.slice(root.length) || "/" : path;
    };
    vi.spyOn(fs, "fsync").mockImplementation(((fd: number, callback: fs.NoParamCallback) => {
      calls.push(`fsync ${where(fd)}`);
      return fsync(fd, callback);
    }) as typeof fs.fsync);
    vi.spyOn(fs, "fdatasync").mockImplementation(((fd: number, callback: fs.NoParamCallback) => {
      calls.push(`fdatasync ${where(fd)}`);
      return fdatasync(fd, callback);
    }) as typeof fs.fdatasync);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.cleanup();
  });

  it("sync('data') is fdatasync, sync('all') is fsync, and a new file's directories are synced once", async () => {
    const file = await nodeFs.open("a/b/new.bin", { create: true });
    await file.writeAll(text("durable"));
    await file.sync("data");
    expect(calls).toEqual(["fdatasync /a/b/new.bin", "fsync /a/b", "fsync /a", "fsync /"]);
    calls.length = 0;
    await file.sync("all");
    await file.sync();
    expect(calls).toEqual(["fsync /a/b/new.bin", "fsync /a/b/new.bin"]);
    await file.close();
  });

  it("a file that existed is synced without its directory; nothing is synced unless asked", async () => {
    await nodeFs.createDirAll("d");
    const created = await nodeFs.open("d/existing.bin", { create: true });
    await created.writeAll(text("x"));
    await created.close();
    expect(calls).toEqual([]);
    const file = await nodeFs.open("d/existing.bin", { create: true });
    await file.writeAll(text("y"));
    await file.sync("all");
    await file.close();
    expect(calls).toEqual(["fsync /d/existing.bin"]);
  });

  it("syncOnClose syncs at close, at the level asked", async () => {
    await nodeFs.createDirAll("c");
    const file = await nodeFs.open("c/on-close.bin", { create: true, syncOnClose: "data" });
    await file.writeAll(text("x"));
    expect(calls).toEqual([]);
    await file.close();
    expect(calls).toEqual(["fdatasync /c/on-close.bin", "fsync /c"]);
    calls.length = 0;
    const again = await nodeFs.open("c/on-close.bin", { write: true, syncOnClose: "all" });
    await again.writeAll(text("y"));
    await again.close();
    expect(calls).toEqual(["fsync /c/on-close.bin"]);
  });

  it("putConditional syncs the temp file's data before publishing and the directory after", async () => {
    await nodeFs.createDirAll("k");
    const tag = await nodeFs.putConditional("k/head", text("v1"), { ifNotExists: true });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^fdatasync \/k\/\.fusio-tmp-/);
    expect(calls[1]).toBe("fsync /k");
    calls.length = 0;
    await nodeFs.putConditional("k/head", text("v2"), { ifMatch: tag });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/^fdatasync \/k\/\.fusio-tmp-/);
    expect(calls[1]).toBe("fsync /k");
    expect(fs.readFileSync(join(root, "k", "head"), "utf8")).toBe("v2");
  });
});
