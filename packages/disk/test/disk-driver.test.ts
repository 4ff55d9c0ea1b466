// `@fusio/disk` as the Node, Bun and Deno packages use it: a DiskFs with its own kind and appender.
import fs, { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeFs } from "@fusio/conformance";
import { DiskFs, type DiskFsOptions, type DiskWriter } from "@fusio/disk";
import { afterAll, describe, expect, it, vi } from "vitest";
import { decode, rejectsWith, tempDir, text } from "./helpers.ts";

/**
 * An appender that buffers in memory until flush, like Bun's FileSink: it copies a chunk and
 * is done with it at once, except that every 8th append completes later (as a FileSink that
 * had to write out a full buffer), so both ways through the file's queue are taken.
 */
class BufferingWriter implements DiskWriter {
  static flushes = 0;
  /** Set to make every later flush fail with this errno, as a full disk would. */
  static failFlushWith: string | undefined;
  readonly #fd: number;
  #pending: Uint8Array[] = [];
  #writes = 0;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(data: Uint8Array): Promise<void> | undefined {
    this.#pending.push(data.slice());
    return ++this.#writes % 8 === 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
  }

  async flush(): Promise<void> {
    BufferingWriter.flushes++;
    const code = BufferingWriter.failFlushWith;
    if (code !== undefined) {
      this.#pending = [];
      throw Object.assign(new Error(`${code}: flush failed`), { code, syscall: "write" });
    }
    for (const chunk of this.#pending.splice(0)) fs.writeSync(this.#fd, chunk);
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

class BufferedFs extends DiskFs {
  constructor(options: DiskFsOptions) {
    super(options, { kind: "buffered", openWriter: (fd) => new BufferingWriter(fd) });
  }
}

const conformanceRoot = tempDir("driver-conformance");
afterAll(() => conformanceRoot.cleanup());

describeFs(
  "DiskFs with a buffering runtime appender",
  {
    create: () => new BufferedFs({ root: conformanceRoot.path }),
    capabilities: {
      link: true,
      copy: true,
      cas: true,
      directories: true,
      visibleBeforeClose: true,
      sync: ["data", "all"],
    },
  },
  { describe, it, expect },
);

describe("DiskFs driver hooks", () => {
  it("reports the driver's kind, and reads, size and sync see what the appender buffered", async () => {
    const dir = tempDir("driver");
    try {
      const disk = new BufferedFs({ root: dir.path });
      expect(disk.kind).toBe("buffered");
      expect(disk.id).toBe(`buffered:${dir.path}`);
      const file = await disk.open("f.txt", { create: true });
      await file.writeAll(text("abc"));
      expect(readFileSync(join(dir.path, "f.txt"), "utf8")).toBe("");
      expect(await file.size()).toBe(3);
      expect(decode(await file.readToEndAt(0))).toBe("abc");
      await file.writeAll(text("def"));
      const buf = new Uint8Array(2);
      await file.readExactAt(buf, 4);
      expect(decode(buf)).toBe("ef");
      await file.writeAll(text("ghi"));
      await file.sync("data");
      expect(readFileSync(join(dir.path, "f.txt"), "utf8")).toBe("abcdefghi");
      const error = await rejectsWith(disk.open("missing"), "NotFound");
      expect(error.backend).toBe("buffered");
      await file.close();
    } finally {
      dir.cleanup();
    }
  });
});

describe("DiskFile with a runtime appender", () => {
  it("appends that complete at once and later ones, issued without waiting, land in call order", async () => {
    const dir = tempDir("appender-order");
    try {
      const disk = new BufferedFs({ root: dir.path });
      const file = await disk.open("ordered.log", { create: true });
      // A first batch, then more issued while some are still in flight.
      const lines = Array.from({ length: 20_000 }, (_, i) => `${i}\n`);
      const first = lines.slice(0, 100).map((line) => file.writeAll(text(line)));
      await Promise.resolve();
      const rest = lines.slice(100).map((line) => file.writeAll(text(line)));
      await Promise.all([...first, ...rest]);
      await file.close();
      expect(readFileSync(join(dir.path, "ordered.log"), "utf8")).toBe(lines.join(""));
    } finally {
      dir.cleanup();
    }
  });

  it("a failed flush before a read rejects as a FusioError and counts as a failed write", async () => {
    const dir = tempDir("appender-flush");
    try {
      const disk = new BufferedFs({ root: dir.path });
      const file = await disk.open("f.bin", { create: true });
      await file.writeAll(text("lost"));
      BufferingWriter.failFlushWith = "ENOSPC";
      const error = await rejectsWith(file.readExactAt(new Uint8Array(1), 0), "Io");
      expect(error.op).toBe("readExactAt");
      await rejectsWith(file.size(), "Io");
      await rejectsWith(file.readToEndAt(0), "Io");
      BufferingWriter.failFlushWith = undefined;
      // The buffered bytes are gone: appending after them would leave a hole.
      const refused = await rejectsWith(file.writeAll(text("more")), "Io");
      expect(refused.message).toContain("earlier write");
      await rejectsWith(file.flush(), "Io");
      await file.close();
      expect(readFileSync(join(dir.path, "f.bin"), "utf8")).toBe("");
    } finally {
      BufferingWriter.failFlushWith = undefined;
      dir.cleanup();
    }
  });
});

describe("list while entries vanish", () => {
  it("skips entries removed between reading the directory and stat'ing them", async () => {
    const dir = tempDir("vanish");
    try {
      for (const name of ["a", "b", "c", "d"]) writeFileSync(join(dir.path, name), name);
      const disk = new BufferedFs({ root: dir.path });
      const stat = fs.stat;
      // Another process deletes "b" and "d" right as the listing reaches them.
      vi.spyOn(fs, "stat").mockImplementation(((path: string, ...rest: unknown[]) => {
        if (path.endsWith("/b") || path.endsWith("/d")) unlinkSync(path);
        return (stat as (...args: unknown[]) => void)(path, ...rest);
      }) as typeof fs.stat);
      const names: string[] = [];
      for await (const entry of disk.list("")) names.push(entry.path.raw);
      expect(names).toEqual(["a", "c"]);
    } finally {
      vi.restoreAllMocks();
      dir.cleanup();
    }
  });
});
