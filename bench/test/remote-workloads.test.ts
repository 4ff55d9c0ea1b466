import { MemoryFs } from "@fusio/memory";
import { describe, expect, it } from "vitest";
import { countList, MiB, pattern, pool, streamOf, writeWhole } from "../src/remote-workloads.ts";

describe("remote workloads", () => {
  it("pattern repeats 0..255 to the exact size", () => {
    const data = pattern(3 * 256 + 17);
    expect(data.length).toBe(3 * 256 + 17);
    expect(data.every((byte, i) => byte === (i & 0xff))).toBe(true);
    expect(pattern(5)).toEqual(Uint8Array.of(0, 1, 2, 3, 4));
  });

  it("pool runs every index once with at most `concurrency` in flight", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await pool(23, 4, async (index) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(index);
      inFlight--;
    });
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    await expect(pool(3, 2, async (index) => Promise.reject(new Error(`no ${index}`)))).rejects.toThrow(/no/);
  });

  it("streamOf yields fresh 1 MiB buffers adding up to the size", async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of streamOf(2 * MiB + 10)) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.length)).toEqual([MiB, MiB, 10]);
    expect(chunks[0]?.buffer).not.toBe(chunks[1]?.buffer);
    expect(chunks[1]?.[0]).toBe(1);
    expect(Buffer.isBuffer(chunks[0])).toBe(true);
  });

  it("writeWhole writes the whole object and countList counts it", async () => {
    const fs = new MemoryFs();
    const data = pattern(2 * MiB + 3);
    await writeWhole(fs, "dir/a.bin", data);
    await writeWhole(fs, "dir/sub/b.bin", data.subarray(0, 5));
    const file = await fs.open("dir/a.bin");
    expect(Buffer.compare(await file.readToEndAt(0), data)).toBe(0);
    await file.close();
    expect(await countList(fs, "dir")).toBe(2);
  });
});
