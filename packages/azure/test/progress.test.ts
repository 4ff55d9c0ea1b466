import { bytes } from "@fusio/conformance";
import { Path } from "@fusio/core";
import { afterAll, describe, expect, it } from "vitest";
import { azureFs } from "./helpers.ts";

const base = Path.parse(`azure-progress-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);

afterAll(async () => {
  const fs = azureFs();
  for await (const entry of fs.list(base, { recursive: true })) await fs.remove(entry.path);
});

type Progress = { loaded: number; path: string };

describe("onProgress", () => {
  it("reports after every staged block and once more when the block list is committed", async () => {
    const events: Progress[] = [];
    const blockSize = 64 * 1024;
    const fs = azureFs({ blockSize, concurrency: 2, onProgress: (progress) => events.push(progress) });
    const path = base.join("staged.bin");
    const data = bytes(3 * blockSize + 8 * 1024 + 5, 7);
    const file = await fs.open(path, { create: true, truncate: true });
    // Uneven writes: the first ones stay below a block, later ones cross block boundaries.
    for (let at = 0; at < data.length; at += 50_000) await file.writeAll(data.subarray(at, at + 50_000));
    expect(events.every((event) => event.loaded < data.length)).toBe(true);
    await file.close();
    // Four blocks (three full, one short at close) and the commit.
    expect(events).toHaveLength(5);
    expect(events.every((event) => event.path === path.raw)).toBe(true);
    const loaded = events.map((event) => event.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.slice(0, 2)).toEqual([blockSize, 2 * blockSize]);
    expect(loaded.slice(-2)).toEqual([data.length, data.length]);
    expect((await fs.stat(path)).size).toBe(data.length);
  });

  it("reports once for a small blob, at its Put Blob", async () => {
    const events: Progress[] = [];
    const fs = azureFs({ blockSize: 64 * 1024, onProgress: (progress) => events.push(progress) });
    const path = base.join("small.bin");
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(1000));
    await file.writeAll(bytes(24));
    expect(events).toEqual([]);
    await file.close();
    expect(events).toEqual([{ loaded: 1024, path: path.raw }]);
  });

  it("counts only the bytes written through the file on an append, and nothing for a discarded write", async () => {
    const events: Progress[] = [];
    const fs = azureFs({ blockSize: 64 * 1024, onProgress: (progress) => events.push(progress) });
    const path = base.join("append.bin");
    const first = await fs.open(path, { create: true, truncate: true });
    await first.writeAll(bytes(100));
    await first.close();
    const append = await fs.open(path, { write: true });
    await append.writeAll(bytes(20));
    await append.close();
    // The appended bytes follow the spliced ones as a staged block, then the commit.
    expect(events.map((event) => event.loaded)).toEqual([100, 20, 20]);
    expect((await fs.stat(path)).size).toBe(120);
    events.length = 0;
    const discarded = await fs.open(base.join("discarded.bin"), { create: true, truncate: true });
    await discarded.writeAll(bytes(10));
    await expect(discarded.close({ signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: "Aborted" });
    expect(events).toEqual([]);
  });
});
