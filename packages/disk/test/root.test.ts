import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Path } from "@fusio/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decode, rejectsWith, tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("NodeFs stays inside its root", () => {
  let dir: ReturnType<typeof tempDir>;
  let root: string;
  let outside: string;
  let fs: NodeFs;

  beforeEach(() => {
    dir = tempDir("root");
    root = join(dir.path, "root");
    outside = join(dir.path, "outside");
    mkdirSync(join(root, "real"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.txt"), "secret");
    writeFileSync(join(root, "real", "a.txt"), "inside");
    symlinkSync(outside, join(root, "dir-out"));
    symlinkSync(join(outside, "secret.txt"), join(root, "file-out"));
    symlinkSync("../outside", join(root, "relative-out"));
    symlinkSync(join(outside, "new.txt"), join(root, "dangling-out"));
    symlinkSync("hop2", join(root, "hop1"));
    symlinkSync("relative-out/secret.txt", join(root, "hop2"));
    symlinkSync("real", join(root, "inside-link"));
    symlinkSync("real/a.txt", join(root, "inside-file-link"));
    fs = new NodeFs({ root });
  });
  afterEach(() => dir.cleanup());

  it("paths cannot climb: .. is InvalidPath, and an encoded .. is a plain name inside the root", async () => {
    await rejectsWith(fs.open("../outside/secret.txt"), "InvalidPath");
    await rejectsWith(fs.stat("real/../../outside"), "InvalidPath");
    const encoded = Path.from("..").child("x.txt");
    const file = await fs.open(encoded, { create: true });
    await file.close();
    expect(existsSync(join(root, "%2E%2E", "x.txt"))).toBe(true);
  });

  it("a dangling link is followed through a chain of dangling links inside the root, and a loop is refused", async () => {
    // dangling-a -> dangling-b -> sub/new.txt (sub missing): creating follows both, stays inside.
    symlinkSync("dangling-b", join(root, "dangling-a"));
    symlinkSync("real/new.txt", join(root, "dangling-b"));
    const file = await fs.open("dangling-a", { create: true });
    await file.writeAll(text("through two links"));
    await file.close();
    expect(readFileSync(join(root, "real", "new.txt"), "utf8")).toBe("through two links");
    // A chain that ends outside is refused; so is a loop (which never resolves).
    symlinkSync("dangling-out", join(root, "to-dangling-out"));
    await rejectsWith(fs.open("to-dangling-out", { create: true }), "PermissionDenied");
    symlinkSync("loop-b", join(root, "loop-a"));
    symlinkSync("loop-a", join(root, "loop-b"));
    await rejectsWith(fs.open("loop-a", { create: true }), "InvalidPath"); // ELOOP
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
  });

  it("reading through a link that leads outside rejects PermissionDenied", async () => {
    for (const path of ["file-out", "dir-out/secret.txt", "relative-out/secret.txt", "hop1"]) {
      await rejectsWith(fs.open(path), "PermissionDenied");
      await rejectsWith(fs.stat(path), "PermissionDenied");
      await rejectsWith(fs.loadWithTag(path), "PermissionDenied");
      await rejectsWith(fs.copy(path, "copied.txt"), "PermissionDenied");
    }
    await rejectsWith(fs.stat("dir-out"), "PermissionDenied");
    await rejectsWith(collect(fs.list("dir-out")), "PermissionDenied");
    expect(existsSync(join(root, "copied.txt"))).toBe(false);
  });

  it("readFile through a link that leads outside rejects PermissionDenied; links inside, or with the opt-in, are followed", async () => {
    for (const path of ["file-out", "dir-out/secret.txt", "relative-out/secret.txt", "hop1", "dangling-out"]) {
      await rejectsWith(fs.readFile(path), "PermissionDenied");
    }
    expect(decode(await fs.readFile("inside-file-link"))).toBe("inside");
    expect(decode(await fs.readFile("inside-link/a.txt"))).toBe("inside");
    const open = new NodeFs({ root, followSymlinksOutsideRoot: true });
    expect(decode(await open.readFile("dir-out/secret.txt"))).toBe("secret");
    expect(decode(await open.readFile("file-out"))).toBe("secret");
  });

  it("writing through a link that leads outside rejects PermissionDenied and creates nothing there", async () => {
    await rejectsWith(fs.open("dir-out/new.txt", { create: true }), "PermissionDenied");
    await rejectsWith(fs.open("dir-out/deep/new.txt", { create: true }), "PermissionDenied");
    await rejectsWith(fs.open("dangling-out", { create: true }), "PermissionDenied");
    await rejectsWith(fs.open("file-out", { write: true }), "PermissionDenied");
    await rejectsWith(fs.open("file-out", { truncate: true }), "PermissionDenied");
    await rejectsWith(fs.createDirAll("dir-out/sub"), "PermissionDenied");
    await rejectsWith(fs.putConditional("dir-out/cas.txt", text("x"), { ifNotExists: true }), "PermissionDenied");
    await rejectsWith(fs.putConditional("dangling-out", text("x"), { ifNotExists: true }), "PermissionDenied");
    await fs.putConditional("mine.txt", text("mine"), { ifNotExists: true });
    await rejectsWith(fs.copy("mine.txt", "dir-out/copy.txt"), "PermissionDenied");
    await rejectsWith(fs.link("mine.txt", "dir-out/link.txt"), "PermissionDenied");
    await rejectsWith(fs.remove("dir-out/secret.txt"), "PermissionDenied");
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("secret");
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
    expect(existsSync(join(outside, "deep"))).toBe(false);
    expect(existsSync(join(outside, "sub"))).toBe(false);
    expect(existsSync(join(outside, "cas.txt"))).toBe(false);
    expect(existsSync(join(outside, "copy.txt"))).toBe(false);
    expect(existsSync(join(outside, "link.txt"))).toBe(false);
  });

  it("removing an outward link removes the link, never its target", async () => {
    await fs.remove("file-out");
    expect(existsSync(join(root, "file-out"))).toBe(false);
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("secret");
  });

  it("links that stay inside the root work", async () => {
    const file = await fs.open("inside-link/a.txt");
    expect(decode(await file.readToEndAt(0))).toBe("inside");
    await file.close();
    expect((await fs.stat("inside-file-link")).size).toBe(6);
    const created = await fs.open("inside-link/b.txt", { create: true });
    await created.close();
    expect(existsSync(join(root, "real", "b.txt"))).toBe(true);
  });

  it("list skips outward and dangling links and does not descend into linked directories", async () => {
    const names = (await collect(fs.list(""))).map((entry) => `${entry.path.raw}${entry.isDirectory ? "/" : ""}`);
    expect(names).toEqual(["inside-file-link", "inside-link/", "real/"]);
    const recursive = (await collect(fs.list("", { recursive: true }))).map((entry) => entry.path.raw);
    expect(recursive).toEqual(["inside-file-link", "real/a.txt"]);
  });

  it("with followSymlinksOutsideRoot the user may follow links out", async () => {
    const open = new NodeFs({ root, followSymlinksOutsideRoot: true });
    const file = await open.open("dir-out/secret.txt");
    expect(decode(await file.readToEndAt(0))).toBe("secret");
    await file.close();
    expect((await open.loadWithTag("file-out"))?.data).toEqual(text("secret"));
    const names = (await collect(open.list(""))).map((entry) => entry.path.raw);
    expect(names).toContain("dir-out");
    expect(names).toContain("file-out");
  });

  it("the root itself may be a link, and is created when missing", async () => {
    const linked = join(dir.path, "root-link");
    symlinkSync(root, linked);
    expect((await new NodeFs({ root: linked }).stat("real/a.txt")).size).toBe(6);
    const fresh = new NodeFs({ root: new URL(`file://${join(dir.path, "fresh", "root")}`) });
    await fresh.putConditional("x", text("x"), { ifNotExists: true });
    expect(readFileSync(join(dir.path, "fresh", "root", "x"), "utf8")).toBe("x");
  });
});
