import { type ErrorKind, type Fs, FusioError, type Path } from "@fusio/core";
import { bytes, type Case, type Define, sameBytes, show, text } from "../context.ts";
import { BAD_PATHS } from "./input.ts";

type ReadFile = (path: Path | string, options?: { signal?: AbortSignal }) => Promise<Uint8Array>;

/** The backend's own `readFile`, or undefined when it has none (then there is nothing to check). */
function ownReadFile(fs: Fs): ReadFile | undefined {
  return typeof fs.readFile === "function" ? fs.readFile.bind(fs) : undefined;
}

/** The kind `open(path)` rejects with: `readFile` must reject the same. */
async function openKind(t: Case, path: Path): Promise<ErrorKind> {
  try {
    const file = await t.fs.open(path);
    await file.close();
  } catch (error) {
    if (FusioError.is(error)) return error.kind;
    throw error;
  }
  t.expect(`open(${show(path.raw)}) resolved`).toBe(`open(${show(path.raw)}) rejects`);
  throw new Error("unreachable");
}

/**
 * The optional `Fs.readFile`: where a backend has it, the same bytes and the same errors as
 * `open` + `readToEndAt(0)` + `close`.
 */
export function readFileTests<F extends Fs>(test: Define<F>): void {
  const largeSize = 1024 * 1024 + 13;
  test("readFile is either absent or a method", async (t) => {
    t.expect(["undefined", "function"].includes(typeof t.fs.readFile)).toBe(true);
  });

  for (const [name, data] of [
    ["empty", new Uint8Array(0)],
    ["1 byte", Uint8Array.of(0xff)],
    ["every byte value", Uint8Array.from({ length: 256 }, (_, i) => i)],
    ["4097 bytes", bytes(4097, 5)],
    [`${largeSize} bytes`, bytes(largeSize, 9)],
  ] as const) {
    test(`readFile gives the bytes a handle reads, in a new array: ${name}`, async (t) => {
      const readFile = ownReadFile(t.fs);
      if (!readFile) return;
      const path = t.at("whole.bin");
      await t.put(path, data);
      const read = await readFile(path);
      t.expect(read instanceof Uint8Array).toBe(true);
      sameBytes(t.expect, read, data);
      sameBytes(t.expect, read, await t.get(path));
      // The caller owns the array: changing it changes neither the file nor the next read.
      read.fill(0x2a);
      sameBytes(t.expect, await readFile(path), data);
      sameBytes(t.expect, await t.get(path), data);
    });
  }

  test("readFile sees appends, truncation and (with visibleBeforeClose) flushed writes as a new handle does", async (t) => {
    const readFile = ownReadFile(t.fs);
    if (!readFile) return;
    const path = t.at("changing.bin");
    await t.put(path, text("base"));
    const writer = await t.fs.open(path, { write: true });
    await writer.writeAll(text("+more"));
    await writer.flush();
    sameBytes(t.expect, await readFile(path), await t.get(path));
    if (t.fs.capabilities.visibleBeforeClose) sameBytes(t.expect, await readFile(path), text("base+more"));
    await writer.close();
    sameBytes(t.expect, await readFile(path), text("base+more"));
    await t.put(path, text("new"));
    sameBytes(t.expect, await readFile(path), text("new"));
  });

  test("readFile of a missing path rejects NotFound, as open does", async (t) => {
    const readFile = ownReadFile(t.fs);
    if (!readFile) return;
    await t.put(t.at("file.bin"), text("x"));
    for (const missing of [t.at("missing.bin"), t.at("no/such/dir/missing.bin")]) {
      await t.rejects(() => readFile(missing), "NotFound", `readFile(${show(missing.raw)})`);
    }
    // Below a file: whatever open says (NotADirectory on local disk, NotFound on object stores).
    const below = t.at("file.bin/x");
    await t.rejects(() => readFile(below), await openKind(t, below), `readFile("file.bin/x")`);
    await t.fs.remove(t.at("file.bin"));
    await t.rejects(() => readFile(t.at("file.bin")), "NotFound", `readFile("file.bin") after remove`);
  });

  test("readFile of the root or of a directory rejects as open does", async (t) => {
    const readFile = ownReadFile(t.fs);
    if (!readFile) return;
    await t.rejects(() => readFile(""), "IsADirectory", `readFile("")`);
    await t.rejects(() => readFile("/"), "IsADirectory", `readFile("/")`);
    const dir = t.at("dir");
    await t.fs.createDirAll(dir);
    await t.put(dir.join("inside.bin"), text("x"));
    const kind = await openKind(t, dir);
    if (t.fs.capabilities.directories) t.expect(kind).toBe("IsADirectory");
    await t.rejects(() => readFile(dir), kind, "readFile(dir)");
  });

  test("readFile with an invalid path rejects InvalidPath", async (t) => {
    const readFile = ownReadFile(t.fs);
    if (!readFile) return;
    for (const bad of BAD_PATHS) await t.rejects(() => readFile(bad), "InvalidPath", `readFile(${show(bad)})`);
  });

  test("readFile with an already-aborted signal rejects Aborted", async (t) => {
    const readFile = ownReadFile(t.fs);
    if (!readFile) return;
    const signal = AbortSignal.abort(new Error("stop"));
    const existing = t.at("existing.bin");
    await t.put(existing, text("keep"));
    await t.rejects(() => readFile(existing, { signal }), "Aborted", "readFile(existing, { signal })");
    await t.rejects(() => readFile(t.at("missing.bin"), { signal }), "Aborted", "readFile(missing, { signal })");
    sameBytes(t.expect, await readFile(existing), text("keep"));
  });
}
