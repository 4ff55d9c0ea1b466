// A 1 GiB streaming upload stays within the writer's memory bound: partSize x (concurrency + 1)
// plus 64 MiB of slack (DESIGN.md budget), measured as the growth of this process's peak RSS.
import { describe, expect, it } from "vitest";
import { config, openUploads, testFs, uniquePrefix } from "./helpers.ts";

const MiB = 1024 * 1024;

describe("memory", () => {
  it("a 1 GiB upload through the multipart writer keeps peak RSS growth within partSize x (concurrency + 1) + 64 MiB", async () => {
    const partSize = 8 * MiB;
    const concurrency = 4;
    const fs = testFs({ partSize, concurrency, timeout: 120_000 });
    const path = `${uniquePrefix("memory")}/1gib.bin`;
    const chunk = new Uint8Array(MiB);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7) & 0xff;
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const file = await fs.open(path, { create: true, truncate: true });
      for (let i = 0; i < 1024; i++) {
        chunk[0] = i & 0xff; // every MiB differs a little
        await file.writeAll(chunk);
      }
      await file.close();
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growth = peak - start;
    console.log(
      `1 GiB upload: peak RSS growth ${(growth / MiB).toFixed(1)} MiB (bound ${(partSize * (concurrency + 1)) / MiB + 64} MiB)`,
    );
    expect(growth).toBeLessThanOrEqual(partSize * (concurrency + 1) + 64 * MiB);
    expect((await fs.stat(path)).size).toBe(1024 * MiB);
    expect(await openUploads(path)).toEqual([]);
    await fs.remove(path);
    void config;
  }, 600_000);
});
