import { type Fs, isCasFs } from "@fusio/core";
import { collect, type Define, sameBytes, show, text } from "../context.ts";

/** Path strings `Path.parse` refuses: every method rejects them `InvalidPath`. */
export const BAD_PATHS: readonly string[] = ["a//b", "a/./b", "a/../b", "..", "a/\u0001b", "tab\there", "del\u007f"];
const BAD_POSITIONS = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "1" as unknown as number];
const NOT_BYTES: unknown[] = ["text", [1, 2, 3], new ArrayBuffer(4), null, undefined, new DataView(new ArrayBuffer(2))];

/** Bad input rejects with the right kind and changes nothing; an aborted signal has no effect. */
export function inputTests<F extends Fs>(test: Define<F>): void {
  test("invalid path strings reject InvalidPath on every method", async (t) => {
    const good = t.at("good.bin");
    await t.put(good, text("x"));
    for (const bad of BAD_PATHS) {
      await t.rejects(() => t.fs.open(bad, { create: true }), "InvalidPath", `open(${show(bad)}, { create: true })`);
      await t.rejects(() => t.fs.stat(bad), "InvalidPath", `stat(${show(bad)})`);
      await t.rejects(() => t.fs.remove(bad), "InvalidPath", `remove(${show(bad)})`);
      await t.rejects(() => t.fs.createDirAll(bad), "InvalidPath", `createDirAll(${show(bad)})`);
      await t.rejects(() => t.fs.copy(good, bad), "InvalidPath", `copy(good, ${show(bad)})`);
      await t.rejects(() => t.fs.copy(bad, good), "InvalidPath", `copy(${show(bad)}, good)`);
      await t.rejects(() => t.fs.link(good, bad), "InvalidPath", `link(good, ${show(bad)})`);
      await t.rejects(() => collect(t.fs.list(bad)), "InvalidPath", `list(${show(bad)})`);
      if (isCasFs(t.fs)) {
        const fs = t.fs;
        await t.rejects(() => fs.loadWithTag(bad), "InvalidPath", `loadWithTag(${show(bad)})`);
        await t.rejects(
          () => fs.putConditional(bad, text("x"), { ifNotExists: true }),
          "InvalidPath",
          `putConditional(${show(bad)}, text("x"), { ifNotExists: true })`,
        );
      }
    }
    sameBytes(t.expect, await t.get(good), text("x"));
  });

  test("negative, fractional, unsafe and non-number positions reject InvalidArgument", async (t) => {
    const path = t.at("pos.bin");
    await t.put(path, text("0123456789"));
    const file = await t.fs.open(path);
    for (const pos of BAD_POSITIONS) {
      await t.rejects(
        () => file.readExactAt(new Uint8Array(1), pos),
        "InvalidArgument",
        `file.readExactAt(new Uint8Array(1), ${show(pos)})`,
      );
      await t.rejects(() => file.readToEndAt(pos), "InvalidArgument", `file.readToEndAt(${show(pos)})`);
    }
    await file.close();
  });

  test("data and buffers that are not Uint8Array reject InvalidArgument and write nothing", async (t) => {
    const path = t.at("bytes.bin");
    await t.put(path, text("keep"));
    const file = await t.fs.open(path, { write: true });
    for (const value of NOT_BYTES) {
      await t.rejects(() => file.writeAll(value as Uint8Array), "InvalidArgument", `file.writeAll(${show(value)})`);
      await t.rejects(
        () => file.readExactAt(value as Uint8Array, 0),
        "InvalidArgument",
        `file.readExactAt(${show(value)}, 0)`,
      );
    }
    await file.close();
    sameBytes(t.expect, await t.get(path), text("keep"));
    if (isCasFs(t.fs)) {
      const fs = t.fs;
      await t.rejects(
        () => fs.putConditional(t.at("cas.bin"), "text" as never, { ifNotExists: true }),
        "InvalidArgument",
        `putConditional("cas.bin", "text", { ifNotExists: true })`,
      );
      await t.rejects(
        () => fs.putConditional(t.at("cas.bin"), text("x"), {} as never),
        "InvalidArgument",
        `putConditional("cas.bin", text("x"), {})`,
      );
      await t.rejects(() => fs.stat(t.at("cas.bin")), "NotFound", `stat("cas.bin")`);
    }
  });

  test("an already-aborted signal rejects Aborted and has no effect", async (t) => {
    const signal = AbortSignal.abort(new Error("stop"));
    const existing = t.at("existing.bin");
    await t.put(existing, text("keep"));
    const created = t.at("not-created.bin");

    await t.rejects(
      () => t.fs.open(created, { create: true, signal }),
      "Aborted",
      "open(created, { create: true, signal })",
    );
    await t.rejects(() => t.fs.stat(created), "NotFound", "stat(created)");
    await t.rejects(
      () => t.fs.open(existing, { truncate: true, signal }),
      "Aborted",
      "open(existing, { truncate: true, signal })",
    );
    await t.rejects(() => t.fs.stat(existing, { signal }), "Aborted", "stat(existing, { signal })");
    await t.rejects(() => collect(t.fs.list(t.base, { signal })), "Aborted", "list(base, { signal })");
    await t.rejects(() => t.fs.createDirAll(t.at("dir"), { signal }), "Aborted", `createDirAll("dir", { signal })`);
    await t.rejects(() => t.fs.remove(existing, { signal }), "Aborted", "remove(existing, { signal })");
    await t.rejects(
      () => t.fs.copy(existing, t.at("copy.bin"), { signal }),
      "Aborted",
      `copy(existing, "copy.bin", { signal })`,
    );
    await t.rejects(() => t.fs.stat(t.at("copy.bin")), "NotFound", `stat("copy.bin")`);

    const file = await t.fs.open(existing, { write: true });
    await t.rejects(
      () => file.writeAll(text("+more"), { signal }),
      "Aborted",
      `file.writeAll(text("+more"), { signal })`,
    );
    await t.rejects(
      () => file.readExactAt(new Uint8Array(2), 0, { signal }),
      "Aborted",
      "file.readExactAt(new Uint8Array(2), 0, { signal })",
    );
    await t.rejects(() => file.readToEndAt(0, { signal }), "Aborted", "file.readToEndAt(0, { signal })");
    await t.rejects(() => file.size({ signal }), "Aborted", "file.size({ signal })");
    await t.rejects(() => file.flush({ signal }), "Aborted", "file.flush({ signal })");
    await file.close();

    if (isCasFs(t.fs)) {
      const fs = t.fs;
      await t.rejects(
        () => fs.putConditional(created, text("x"), { ifNotExists: true }, { signal }),
        "Aborted",
        `putConditional(created, text("x"), { ifNotExists: true }, { signal })`,
      );
      await t.rejects(() => fs.loadWithTag(existing, { signal }), "Aborted", "loadWithTag(existing, { signal })");
      await t.rejects(() => fs.stat(created), "NotFound", "stat(created)");
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
