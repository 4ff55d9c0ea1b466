import type { Fs } from "@fusio/core";
import { bytes, type Define, sameBytes, text } from "../context.ts";

/** Opening: missing paths, create, parents, read-only default, option rules. */
export function openTests<F extends Fs>(test: Define<F>): void {
  test("open of a missing path without create rejects NotFound, whatever else is asked", async (t) => {
    const missing = t.at("missing.bin");
    await t.rejects(() => t.fs.open(missing), "NotFound", "open(missing)");
    await t.rejects(() => t.fs.open(missing, { write: true }), "NotFound", "open(missing, { write: true })");
    await t.rejects(
      () => t.fs.open(missing, { read: true, write: true }),
      "NotFound",
      "open(missing, { read: true, write: true })",
    );
    await t.rejects(() => t.fs.open(missing, { truncate: true }), "NotFound", "open(missing, { truncate: true })");
    await t.rejects(() => t.fs.stat(missing), "NotFound", "stat(missing)");
  });

  test("open with create makes an empty file", async (t) => {
    const path = t.at("new.bin");
    const file = await t.fs.open(path, { create: true });
    t.expect(file.path.raw).toBe(path.raw);
    t.expect(await file.size()).toBe(0);
    await file.close();
    t.expect((await t.fs.stat(path)).size).toBe(0);
    t.expect((await t.get(path)).length).toBe(0);
  });

  test("create works below directories that do not exist yet", async (t) => {
    const path = t.at("a/b/c/deep.bin");
    await t.put(path, text("deep"));
    sameBytes(t.expect, await t.get(path), text("deep"));
  });

  test("the default open is read-only: writing rejects PermissionDenied and changes nothing", async (t) => {
    const path = t.at("ro.bin");
    await t.put(path, text("keep"));
    const file = await t.fs.open(path);
    await t.rejects(() => file.writeAll(text("x")), "PermissionDenied", `file.writeAll(text("x"))`);
    await file.close();
    sameBytes(t.expect, await t.get(path), text("keep"));
  });

  test("a handle opened without read rejects reads with PermissionDenied", async (t) => {
    const path = t.at("wo.bin");
    const file = await t.fs.open(path, { create: true, read: false });
    await file.writeAll(text("abc"));
    await t.rejects(
      () => file.readExactAt(new Uint8Array(1), 0),
      "PermissionDenied",
      "file.readExactAt(new Uint8Array(1), 0)",
    );
    await t.rejects(() => file.readToEndAt(0), "PermissionDenied", "file.readToEndAt(0)");
    await file.close();
    sameBytes(t.expect, await t.get(path), text("abc"));
  });

  test("contradictory open options reject InvalidArgument", async (t) => {
    const path = t.at("x.bin");
    await t.rejects(
      () => t.fs.open(path, { create: true, write: false }),
      "InvalidArgument",
      "open(path, { create: true, write: false })",
    );
    await t.rejects(
      () => t.fs.open(path, { truncate: true, write: false }),
      "InvalidArgument",
      "open(path, { truncate: true, write: false })",
    );
    await t.rejects(() => t.fs.open(path, { read: false }), "InvalidArgument", "open(path, { read: false })");
    await t.rejects(() => t.fs.stat(path), "NotFound", "stat(path)");
  });

  test("open with create on an existing file keeps its content and appends", async (t) => {
    const path = t.at("keep.bin");
    const first = bytes(100, 3);
    await t.put(path, first);
    const file = await t.fs.open(path, { create: true });
    await file.writeAll(text("!"));
    await file.close();
    const all = await t.get(path);
    t.expect(all.length).toBe(101);
    sameBytes(t.expect, all.subarray(0, 100), first);
  });
}
