import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytes } from "@fusio/conformance";
import { DenoFs } from "@fusio/deno";
import { afterAll, describe, expect, it } from "vitest";
import { runDeno } from "./deno-api.ts";

const root = mkdtempSync(join(tmpdir(), "fusio-deno-disk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = new DenoFs({ root });

describe("DenoFs inside Deno", () => {
  it("runs in Deno, with kind deno", () => {
    expect("Deno" in globalThis).toBe(true);
    expect(fs.kind).toBe("deno");
  });

  it("concurrent readExactAt calls on one handle each read their own position", async () => {
    const data = bytes(1024 * 1024, 7);
    const writer = await fs.open("concurrent.bin", { create: true, truncate: true });
    await writer.writeAll(data);
    await writer.close();
    const file = await fs.open("concurrent.bin");
    const positions = Array.from({ length: 256 }, (_, i) => ((i * 7919) % 1000) * 1000 + (i % 13));
    const buffers = await Promise.all(positions.map((pos) => file.readExactAt(new Uint8Array(977), pos)));
    buffers.forEach((buf, i) => {
      const pos = positions[i] as number;
      expect(Buffer.compare(buf, data.subarray(pos, pos + 977))).toBe(0);
    });
    await file.close();
  });

  it("a read-write handle reads back its own appends", async () => {
    const file = await fs.open("own.bin", { create: true, truncate: true });
    await file.writeAll(new TextEncoder().encode("hello "));
    await file.writeAll(new TextEncoder().encode("world"));
    expect(await file.size()).toBe(11);
    expect(new TextDecoder().decode(await file.readExactAt(new Uint8Array(5), 6))).toBe("world");
    expect(new TextDecoder().decode(await file.readToEndAt(0))).toBe("hello world");
    await file.close();
  });

  it("many appends, large and small, issued without waiting, land in order", async () => {
    const parts = Array.from({ length: 200 }, (_, i) => bytes(i % 7 === 0 ? 300_000 + i : 1 + i * 13, i + 1));
    const file = await fs.open("order.bin", { create: true, truncate: true });
    await Promise.all(parts.map((part) => file.writeAll(part)));
    await file.sync("data");
    await file.close();
    const expected = Buffer.concat(parts);
    const reader = await fs.open("order.bin");
    expect(Buffer.compare(await reader.readToEndAt(0), expected)).toBe(0);
    await reader.close();
  });

  it("truncate on open empties the file, through Deno's refusal of O_TRUNC with O_APPEND", async () => {
    const first = await fs.open("trunc.bin", { create: true });
    await first.writeAll(new TextEncoder().encode("old content"));
    await first.close();
    const file = await fs.open("trunc.bin", { truncate: true });
    expect(await file.size()).toBe(0);
    await file.writeAll(new TextEncoder().encode("new"));
    await file.close();
    const reader = await fs.open("trunc.bin");
    expect(new TextDecoder().decode(await reader.readToEndAt(0))).toBe("new");
    await reader.close();
  });

  it("CAS is atomic across Deno processes: concurrent racers lose no update", async () => {
    const racers = 4;
    const rounds = 15;
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        runDeno([
          "run",
          `--allow-read=${root},/proc`,
          `--allow-write=${root}`,
          "--allow-run",
          "--allow-sys=hostname",
          "--conditions",
          "source",
          join(import.meta.dirname, "cas-racer.ts"),
          root,
          "race/counter.json",
          `r${i}`,
          String(rounds),
        ]),
      ),
    );
    for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const final = await fs.loadWithTag("race/counter.json");
    const list = JSON.parse(new TextDecoder().decode(final?.data)) as string[];
    expect(list.length).toBe(racers * rounds);
    expect(new Set(list).size).toBe(racers * rounds);
    for (let i = 0; i < racers; i++) {
      // Each racer's own entries keep their order.
      const own = list.filter((entry) => entry.startsWith(`r${i}:`));
      expect(own).toEqual(Array.from({ length: rounds }, (_, round) => `r${i}:${round}`));
    }
  }, 120_000);
});
