import type { Fs } from "@fusio/core";
import { collect, type Define, sameBytes, show, text } from "../context.ts";

/** stat, remove, copy, link, createDirAll, sync: each checked against the capability flags. */
export function manageTests<F extends Fs>(test: Define<F>): void {
  test("stat reports path, size and no directory flag for a file", async (t) => {
    const path = t.at("stat.bin");
    await t.put(path, text("12345"));
    const meta = await t.fs.stat(path);
    t.expect(meta.path.raw).toBe(path.raw);
    t.expect(meta.size).toBe(5);
    t.expect(meta.isDirectory ?? false).toBe(false);
    if (meta.lastModified !== undefined) t.expect(meta.lastModified instanceof Date).toBe(true);
  });

  test("remove deletes a file; removing a missing path resolves", async (t) => {
    const path = t.at("gone.bin");
    await t.put(path, text("x"));
    await t.fs.remove(path);
    await t.rejects(() => t.fs.stat(path), "NotFound", "stat(path)");
    await t.rejects(() => t.fs.open(path), "NotFound", "open(path)");
    await t.fs.remove(path);
    await t.fs.remove(t.at("never/existed"));
  });

  test("createDirAll resolves; where directories exist it makes them, and remove refuses them", async (t) => {
    const dir = t.at("made/deep/dir");
    await t.fs.createDirAll(dir);
    await t.fs.createDirAll(dir);
    if (t.fs.capabilities.directories) {
      t.expect((await t.fs.stat(dir)).isDirectory).toBe(true);
      const listed = await collect(t.fs.list(t.at("made/deep")));
      t.expect(listed.map((entry) => [entry.path.raw, entry.isDirectory])).toEqual([[dir.raw, true]]);
      await t.rejects(() => t.fs.remove(dir), "IsADirectory", "remove(dir)");
      t.expect((await t.fs.stat(dir)).isDirectory).toBe(true);
    } else {
      t.expect(await collect(t.fs.list(dir))).toEqual([]);
    }
  });

  test("copy replaces the destination with a snapshot of the source, or rejects Unsupported", async (t) => {
    const from = t.at("src.bin");
    const to = t.at("dst/copy.bin");
    await t.put(from, text("first"));
    await t.put(to, text("old destination content"));
    if (!t.fs.capabilities.copy) {
      await t.rejects(() => t.fs.copy(from, to), "Unsupported", "copy(from, to)");
      return;
    }
    await t.fs.copy(from, to);
    sameBytes(t.expect, await t.get(to), text("first"));
    const append = await t.fs.open(from, { write: true });
    await append.writeAll(text("+second"));
    await append.close();
    sameBytes(t.expect, await t.get(from), text("first+second"));
    sameBytes(t.expect, await t.get(to), text("first"));
    await t.rejects(() => t.fs.copy(t.at("missing"), t.at("x")), "NotFound", `copy("missing", "x")`);
    await t.rejects(() => t.fs.stat(t.at("x")), "NotFound", `stat("x")`);
  });

  test("link shares the file under a second name, or rejects Unsupported", async (t) => {
    const from = t.at("original.bin");
    const to = t.at("linked.bin");
    await t.put(from, text("shared"));
    if (!t.fs.capabilities.link) {
      await t.rejects(() => t.fs.link(from, to), "Unsupported", "link(from, to)");
      await t.rejects(() => t.fs.stat(to), "NotFound", "stat(to)");
      return;
    }
    await t.fs.link(from, to);
    const append = await t.fs.open(from, { write: true });
    await append.writeAll(text("+more"));
    await append.close();
    sameBytes(t.expect, await t.get(to), text("shared+more"));
    await t.fs.remove(from);
    sameBytes(t.expect, await t.get(to), text("shared+more"));
    await t.put(from, text("other"));
    await t.rejects(() => t.fs.link(from, to), "AlreadyExists", "link(from, to)");
    await t.rejects(() => t.fs.link(t.at("missing"), t.at("l2")), "NotFound", `link("missing", "l2")`);
  });

  test("sync honours exactly the levels in capabilities.sync", async (t) => {
    const path = t.at("sync.bin");
    const file = await t.fs.open(path, { create: true, truncate: true });
    await file.writeAll(text("durable"));
    for (const level of ["data", "all"] as const) {
      if (t.fs.capabilities.sync.includes(level)) {
        await file.sync(level);
      } else {
        await t.rejects(() => file.sync(level), "Unsupported", `file.sync(${show(level)})`);
      }
    }
    await file.close();
    sameBytes(t.expect, await t.get(path), text("durable"));
    for (const level of ["data", "all"] as const) {
      const target = t.at(`sync-on-close-${level}.bin`);
      if (t.fs.capabilities.sync.includes(level)) {
        const synced = await t.fs.open(target, { create: true, syncOnClose: level });
        await synced.writeAll(text(level));
        await synced.close();
        sameBytes(t.expect, await t.get(target), text(level));
      } else {
        await t.rejects(
          () => t.fs.open(target, { create: true, syncOnClose: level }),
          "Unsupported",
          `open(target, { create: true, syncOnClose: ${show(level)} })`,
        );
        await t.rejects(() => t.fs.stat(target), "NotFound", "stat(target)");
      }
    }
  });
}
