import { type FileMeta, type Fs, Path } from "@fusio/core";
import { collect, type Define, text } from "../context.ts";

function shape(base: Path, entries: FileMeta[]): string[] {
  return entries.map((entry) => {
    const relative = (entry.path.prefixMatch(base) ?? [entry.path.raw]).join("/");
    return entry.isDirectory ? `${relative}/` : `${relative}:${entry.size}`;
  });
}

/** Listing: exact sets, order, directory semantics, recursion, awkward keys. */
export function listTests<F extends Fs>(test: Define<F>): void {
  async function tree(t: Parameters<Parameters<Define<F>>[1]>[0]): Promise<void> {
    for (const [name, size] of [
      ["b", 2],
      ["a", 1],
      ["a2/x", 3],
      ["c/d", 4],
      ["c/e/f", 5],
      ["c.txt", 6],
    ] as const) {
      await t.put(t.at(name), new Uint8Array(size));
    }
  }

  test("list yields the direct children in order, sub-directories flagged", async (t) => {
    await tree(t);
    const entries = await collect(t.fs.list(t.base));
    t.expect(shape(t.base, entries)).toEqual(["a:1", "a2/", "b:2", "c/", "c.txt:6"]);
    for (const entry of entries) {
      if (!entry.isDirectory) t.expect(entry.isDirectory ?? false).toBe(false);
    }
  });

  test("recursive list yields every file below, in order, and no directories", async (t) => {
    await tree(t);
    const entries = await collect(t.fs.list(t.base, { recursive: true }));
    t.expect(shape(t.base, entries)).toEqual(["a:1", "a2/x:3", "b:2", "c.txt:6", "c/d:4", "c/e/f:5"]);
  });

  test("a directory never matches a sibling that shares its prefix (a vs a2)", async (t) => {
    await t.put(t.at("a/x"), text("1"));
    await t.put(t.at("a2/y"), text("2"));
    await t.put(t.at("ab"), text("3"));
    t.expect(shape(t.at("a"), await collect(t.fs.list(t.at("a"))))).toEqual(["x:1"]);
    t.expect(shape(t.at("a"), await collect(t.fs.list(t.at("a"), { recursive: true })))).toEqual(["x:1"]);
  });

  test("listing a nested directory, and a string with a trailing slash", async (t) => {
    await tree(t);
    const entries = await collect(t.fs.list(`${t.at("c").raw}/`));
    t.expect(shape(t.at("c"), entries)).toEqual(["d:4", "e/"]);
    t.expect(entries.map((entry) => Path.is(entry.path))).toEqual([true, true]);
  });

  test("a missing directory, and a path that names a file, list nothing", async (t) => {
    await t.put(t.at("file"), text("x"));
    t.expect(await collect(t.fs.list(t.at("nothing-here")))).toEqual([]);
    t.expect(await collect(t.fs.list(t.at("nothing-here"), { recursive: true }))).toEqual([]);
    t.expect(await collect(t.fs.list(t.at("file")))).toEqual([]);
  });

  test("many entries come back complete and in order; stopping early is fine", async (t) => {
    const names = Array.from({ length: 120 }, (_, i) => `k${String(i).padStart(4, "0")}`);
    await Promise.all(names.map((name) => t.put(t.at(`many/${name}`), text(name))));
    const entries = await collect(t.fs.list(t.at("many")));
    t.expect(shape(t.at("many"), entries)).toEqual(names.map((name) => `${name}:5`));
    let seen = 0;
    for await (const _ of t.fs.list(t.at("many"))) {
      if (++seen === 3) break;
    }
    t.expect(seen).toBe(3);
  });

  test("keys with spaces, %, #, ?, +, : and non-ASCII characters are stored and listed verbatim", async (t) => {
    const paths = [
      t.base.child("a b#c?d+e:f"),
      t.base.child("100% sure"),
      t.base.child("héllo wörld"),
      t.at("plain/héllo wörld"),
      t.at("plain/x+y=z & more"),
      t.base.child("emoji-😀"),
    ];
    for (const [i, path] of paths.entries()) await t.put(path, text(String(i)));
    const listed = await collect(t.fs.list(t.base, { recursive: true }));
    t.expect(listed.map((entry) => entry.path.raw)).toEqual(paths.map((path) => path.raw).sort(Path.compare));
    for (const [i, path] of paths.entries()) {
      t.expect(new TextDecoder().decode(await t.get(path))).toBe(String(i));
      t.expect((await t.fs.stat(path)).path.raw).toBe(path.raw);
    }
  });
}
