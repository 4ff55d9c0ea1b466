import { type Fs, isCasFs } from "@fusio/core";
import { collect, type Define, sameBytes, text } from "../context.ts";

const BAD_PATHS = ["a//b", "a/./b", "a/../b", "..", "a/\u0001b", "tab\there", "del\u007f"];
const BAD_POSITIONS = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "1" as unknown as number];
const NOT_BYTES: unknown[] = ["text", [1, 2, 3], new ArrayBuffer(4), null, undefined, new DataView(new ArrayBuffer(2))];

/** Bad input rejects with the right kind and changes nothing; an aborted signal has no effect. */
export function inputTests<F extends Fs>(test: Define<F>): void {
  test("invalid path strings reject InvalidPath on every method", async (t) => {
    const good = t.at("good.bin");
    await t.put(good, text("x"));
    for (const bad of BAD_PATHS) {
      await t.rejects(() => t.fs.open(bad, { create: true }), "InvalidPath");
      await t.rejects(() => t.fs.stat(bad), "InvalidPath");
      await t.rejects(() => t.fs.remove(bad), "InvalidPath");
      await t.rejects(() => t.fs.createDirAll(bad), "InvalidPath");
      await t.rejects(() => t.fs.copy(good, bad), "InvalidPath");
      await t.rejects(() => t.fs.copy(bad, good), "InvalidPath");
      await t.rejects(() => t.fs.link(good, bad), "InvalidPath");
      await t.rejects(() => collect(t.fs.list(bad)), "InvalidPath");
      if (isCasFs(t.fs)) {
        const fs = t.fs;
        await t.rejects(() => fs.loadWithTag(bad), "InvalidPath");
        await t.rejects(() => fs.putConditional(bad, text("x"), { ifNotExists: true }), "InvalidPath");
      }
    }
    sameBytes(t.expect, await t.get(good), text("x"));
  });

  test("negative, fractional, unsafe and non-number positions reject InvalidArgument", async (t) => {
    const path = t.at("pos.bin");
    await t.put(path, text("0123456789"));
    const file = await t.fs.open(path);
    for (const pos of BAD_POSITIONS) {
      await t.rejects(() => file.readExactAt(new Uint8Array(1), pos), "InvalidArgument");
      await t.rejects(() => file.readToEndAt(pos), "InvalidArgument");
    }
    await file.close();
  });

  test("data and buffers that are not Uint8Array reject InvalidArgument and write nothing", async (t) => {
    const path = t.at("bytes.bin");
    await t.put(path, text("keep"));
    const file = await t.fs.open(path, { write: true });
    for (const value of NOT_BYTES) {
      await t.rejects(() => file.writeAll(value as Uint8Array), "InvalidArgument");
      await t.rejects(() => file.readExactAt(value as Uint8Array, 0), "InvalidArgument");
    }
    await file.close();
    sameBytes(t.expect, await t.get(path), text("keep"));
    if (isCasFs(t.fs)) {
      const fs = t.fs;
      await t.rejects(
        () => fs.putConditional(t.at("cas.bin"), "text" as never, { ifNotExists: true }),
        "InvalidArgument",
      );
      await t.rejects(() => fs.putConditional(t.at("cas.bin"), text("x"), {} as never), "InvalidArgument");
      await t.rejects(() => fs.stat(t.at("cas.bin")), "NotFound");
    }
  });

  test("an already-aborted signal rejects Aborted and has no effect", async (t) => {
    const signal = AbortSignal.abort(new Error("stop"));
    const existing = t.at("existing.bin");
    await t.put(existing, text("keep"));
    const created = t.at("not-created.bin");

    await t.rejects(() => t.fs.open(created, { create: true, signal }), "Aborted");
    await t.rejects(() => t.fs.stat(created), "NotFound");
    await t.rejects(() => t.fs.open(existing, { truncate: true, signal }), "Aborted");
    await t.rejects(() => t.fs.stat(existing, { signal }), "Aborted");
    await t.rejects(() => collect(t.fs.list(t.base, { signal })), "Aborted");
    await t.rejects(() => t.fs.createDirAll(t.at("dir"), { signal }), "Aborted");
    await t.rejects(() => t.fs.remove(existing, { signal }), "Aborted");
    await t.rejects(() => t.fs.copy(existing, t.at("copy.bin"), { signal }), "Aborted");
    await t.rejects(() => t.fs.stat(t.at("copy.bin")), "NotFound");

    const file = await t.fs.open(existing, { write: true });
    await t.rejects(() => file.writeAll(text("+more"), { signal }), "Aborted");
    await t.rejects(() => file.readExactAt(new Uint8Array(2), 0, { signal }), "Aborted");
    await t.rejects(() => file.readToEndAt(0, { signal }), "Aborted");
    await t.rejects(() => file.size({ signal }), "Aborted");
    await t.rejects(() => file.flush({ signal }), "Aborted");
    await file.close();

    if (isCasFs(t.fs)) {
      const fs = t.fs;
      await t.rejects(() => fs.putConditional(created, text("x"), { ifNotExists: true }, { signal }), "Aborted");
      await t.rejects(() => fs.loadWithTag(existing, { signal }), "Aborted");
      await t.rejects(() => fs.stat(created), "NotFound");
    }
    sameBytes(t.expect, await t.get(existing), text("keep"));
  });

  test("a signal aborted while a file is open does not stop later calls without it", async (t) => {
    const controller = new AbortController();
    const path = t.at("later.bin");
    const file = await t.fs.open(path, { create: true, signal: controller.signal });
    controller.abort();
    await file.writeAll(text("still works"));
    await file.close();
    sameBytes(t.expect, await t.get(path), text("still works"));
  });
}
