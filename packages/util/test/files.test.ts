import { FusioError } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { exists, readFile, writeFile } from "@fusio/util";
import { withoutReadFile } from "@fusio-internal/test-support/without-read-file";
import { describe, expect, it, vi } from "vitest";

const text = (value: string) => new TextEncoder().encode(value);

describe("readFile, writeFile, exists", () => {
  it("write replaces, append extends, read returns everything", async () => {
    const fs = new MemoryFs();
    await writeFile(fs, "dir/a.txt", text("one"));
    await writeFile(fs, "dir/a.txt", text("two"));
    await writeFile(fs, "dir/a.txt", text("+three"), { append: true });
    expect(new TextDecoder().decode(await readFile(fs, "dir/a.txt"))).toBe("two+three");
  });

  it("exists is true for files, false for missing paths, and passes other errors on", async () => {
    const fs = new MemoryFs();
    await writeFile(fs, "a", text("x"));
    expect(await exists(fs, "a")).toBe(true);
    expect(await exists(fs, "b")).toBe(false);
    await expect(exists(fs, "a//b")).rejects.toSatisfy((e) => FusioError.is(e, "InvalidPath"));
  });

  it("readFile of a missing path rejects NotFound", async () => {
    await expect(readFile(new MemoryFs(), "nope")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
  });

  it("readFile uses the backend's own readFile when it has one, without opening a handle", async () => {
    const fs = new MemoryFs();
    await writeFile(fs, "a.txt", text("whole"));
    const own = vi.spyOn(fs, "readFile");
    const open = vi.spyOn(fs, "open");
    const signal = new AbortController().signal;
    expect(new TextDecoder().decode(await readFile(fs, "a.txt", { signal }))).toBe("whole");
    expect(own).toHaveBeenCalledWith("a.txt", { signal });
    expect(open).not.toHaveBeenCalled();
  });

  it("readFile falls back to open, readToEndAt and close on a backend without readFile", async () => {
    const memory = new MemoryFs();
    await writeFile(memory, "a.txt", text("through a handle"));
    const fs = withoutReadFile(memory);
    const open = vi.spyOn(fs, "open");
    expect(fs.readFile).toBeUndefined();
    expect(new TextDecoder().decode(await readFile(fs, "a.txt"))).toBe("through a handle");
    expect(open).toHaveBeenCalledTimes(1);
    await expect(readFile(fs, "nope")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
    await expect(readFile(fs, "a.txt", { signal: AbortSignal.abort() })).rejects.toSatisfy((e) =>
      FusioError.is(e, "Aborted"),
    );
  });

  it("writeFile with an aborted signal writes nothing", async () => {
    const fs = new MemoryFs();
    await expect(writeFile(fs, "a", text("x"), { signal: AbortSignal.abort() })).rejects.toSatisfy((e) =>
      FusioError.is(e, "Aborted"),
    );
    expect(await exists(fs, "a")).toBe(false);
  });
});
