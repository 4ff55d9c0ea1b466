// A 1 GiB streaming upload stays within the writer's memory bound: partSize x (concurrency + 1)
// plus 64 MiB of slack (DESIGN.md budget), measured as the growth of this process's peak RSS.

import type { HttpClient } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { openUploads, testFs, uniquePrefix } from "./helpers.ts";
import { NodeHttpTestClient } from "./node-http-client.ts";

const MiB = 1024 * 1024;

async function upload1GiB(http: HttpClient | undefined): Promise<number> {
  const partSize = 8 * MiB;
  const concurrency = 4;
  const fs = testFs({ partSize, concurrency, timeout: 120_000, ...(http && { http }) });
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
  expect((await fs.stat(path)).size).toBe(1024 * MiB);
  expect(await openUploads(path)).toEqual([]);
  await fs.remove(path);
  return peak - start;
}

const BOUND = 8 * MiB * (4 + 1) + 64 * MiB;

describe("memory", () => {
  // With a client that sends the part buffers as they are (as UndiciHttpClient does), the bound holds.
  it("a 1 GiB upload keeps peak RSS growth within partSize x (concurrency + 1) + 64 MiB", async () => {
    const http = new NodeHttpTestClient();
    const growth = await upload1GiB(http);
    http.close();
    console.log(
      `1 GiB upload, node:http client: peak RSS growth ${(growth / MiB).toFixed(1)} MiB (bound ${BOUND / MiB} MiB)`,
    );
    expect(growth).toBeLessThanOrEqual(BOUND);
  }, 600_000);

  // fetch copies every request body, so its garbage doubles the footprint; reported, bounded loosely.
  it("with the fetch client, growth stays bounded (fetch copies bodies)", async () => {
    const growth = await upload1GiB(undefined);
    console.log(`1 GiB upload, fetch client: peak RSS growth ${(growth / MiB).toFixed(1)} MiB`);
    expect(growth).toBeLessThanOrEqual(3 * BOUND);
  }, 600_000);
});
