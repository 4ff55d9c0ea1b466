import { bytes } from "@fusio/conformance";
import { type File, type Fs, FusioError } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { copy, readFile, writeFile } from "@fusio/util";
import { describe, expect, it } from "vitest";

/** Records which Fs methods were called, around a real MemoryFs. */
function recording(fs: Fs): { fs: Fs; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(fs, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(key));
        return value.apply(target, args);
      };
    },
  });
  return { fs: proxy, calls };
}

/** The same Fs, with `patch` applied to every file it opens. */
function withOpen(fs: Fs, patch: (file: File) => void): Fs {
  return new Proxy(fs, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key === "open") {
        return async (...args: Parameters<Fs["open"]>) => {
          const file = await target.open(...args);
          patch(file);
          return file;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** One assertion for two byte arrays (element-wise toEqual is slow on megabytes). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

describe("copy", () => {
  for (const size of [0, 1, 4095, 4096, 4097, 3 * 1024 * 1024 + 5]) {
    it(`streams ${size} bytes between two namespaces exactly`, async () => {
      const source = new MemoryFs();
      const target = new MemoryFs();
      const data = bytes(size, size + 1);
      await writeFile(source, "in.bin", data);
      await writeFile(target, "out.bin", bytes(10_000, 3)); // replaced, not appended to
      const progress: number[] = [];
      await copy(source, "in.bin", target, "out.bin", {
        chunkSize: 4096,
        onProgress: ({ loaded, total }) => {
          expect(total).toBe(size);
          progress.push(loaded);
        },
      });
      expectSameBytes(await readFile(target, "out.bin"), data);
      expect(progress.at(-1) ?? 0).toBe(size);
      expect(progress.length).toBe(Math.ceil(size / 4096));
    });
  }

  it("uses the backend's own copy within one namespace", async () => {
    const { fs, calls } = recording(new MemoryFs());
    await writeFile(fs, "a", bytes(100));
    calls.length = 0;
    await copy(fs, "a", fs, "b");
    expect(calls).toEqual(["copy"]);
    expect(await readFile(fs, "b")).toEqual(bytes(100));
  });

  it("rejects NotFound for a missing source and creates nothing", async () => {
    const source = new MemoryFs();
    const target = new MemoryFs();
    await expect(copy(source, "missing", target, "out")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
    await expect(target.stat("out")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
  });

  it("aborted midway: rejects Aborted and leaves no partial destination", async () => {
    const source = new MemoryFs();
    const target = new MemoryFs();
    await writeFile(source, "in.bin", bytes(64 * 1024));
    const controller = new AbortController();
    const copying = copy(source, "in.bin", target, "out.bin", {
      chunkSize: 4096,
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (loaded >= 8192) controller.abort();
      },
    });
    await expect(copying).rejects.toSatisfy((e) => FusioError.is(e, "Aborted"));
    await expect(target.stat("out.bin")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
  });

  it("a failing read discards the destination writer with an aborted close", async () => {
    const source = new MemoryFs();
    await writeFile(source, "in.bin", bytes(20_000));
    const failing = withOpen(source, (file) => {
      const read = file.readExactAt.bind(file);
      file.readExactAt = async (buf, pos) => {
        if (pos > 0) throw new FusioError("Io", "disk on fire");
        return read(buf, pos);
      };
    });
    const target = new MemoryFs();
    const closes: boolean[] = [];
    const watched = withOpen(target, (file) => {
      const close = file.close.bind(file);
      file.close = (options) => {
        closes.push(options?.signal?.aborted ?? false);
        return close(options);
      };
    });
    await expect(copy(failing, "in.bin", watched, "out.bin", { chunkSize: 4096 })).rejects.toSatisfy((e) =>
      FusioError.is(e, "Io"),
    );
    expect(closes).toEqual([true]);
    await expect(target.stat("out.bin")).rejects.toSatisfy((e) => FusioError.is(e, "NotFound"));
  });

  it("rejects a bad chunk size with InvalidArgument", async () => {
    const fs = new MemoryFs();
    await writeFile(fs, "a", bytes(1));
    for (const chunkSize of [0, -1, 1.5]) {
      await expect(copy(fs, "a", new MemoryFs(), "b", { chunkSize })).rejects.toSatisfy((e) =>
        FusioError.is(e, "InvalidArgument"),
      );
    }
  });
});
