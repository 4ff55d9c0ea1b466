import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DenoFs } from "@fusio/deno";
import { runtimeDiskTests } from "@fusio-internal/test-support/disk/runtime-disk-tests";
import { afterAll, describe, expect, it } from "vitest";
import { runDeno, spawnDeno } from "./deno-api.ts";

const root = mkdtempSync(join(tmpdir(), "fusio-deno-disk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = new DenoFs({ root });
const shared = runtimeDiskTests({ fs, root, create: (dir) => new DenoFs({ root: dir }) }, { it, expect });

describe("DenoFs inside Deno", () => {
  it("runs in Deno, with kind deno", () => {
    expect("Deno" in globalThis).toBe(true);
    expect(fs.kind).toBe("deno");
  });

  shared.concurrentReads();
  shared.concurrentWholeReads();
  shared.openedFileKept();

  it("a read-write handle reads back its own appends", async () => {
    const file = await fs.open("own.bin", { create: true, truncate: true });
    await file.writeAll(new TextEncoder().encode("hello "));
    await file.writeAll(new TextEncoder().encode("world"));
    expect(await file.size()).toBe(11);
    expect(new TextDecoder().decode(await file.readExactAt(new Uint8Array(5), 6))).toBe("world");
    expect(new TextDecoder().decode(await file.readToEndAt(0))).toBe("hello world");
    await file.close();
  });

  shared.appendOrder();

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
          "--allow-sys=hostname,osUptime",
          "--conditions",
          "source",
          join(import.meta.dirname, "cas-worker.ts"),
          "race",
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

  it("kill -9 at any point of a CAS write leaves a whole old or new version, and never blocks the next writer", async () => {
    const size = 256 * 1024;
    for (let round = 0; round < 4; round++) {
      const child = spawnDeno([
        "run",
        `--allow-read=${root},/proc`,
        `--allow-write=${root}`,
        "--allow-run",
        "--allow-sys=hostname,osUptime",
        "--conditions",
        "source",
        join(import.meta.dirname, "cas-worker.ts"),
        "churn",
        root,
        "churn/v.bin",
        String(size),
      ]);
      const target = 1 + round * 2;
      await child.line((line) => Number(line) >= target);
      // Land the kill at a different point of the write / lock / publish cycle each round.
      await new Promise((resolve) => setTimeout(resolve, round * 3));
      await child.kill9();
      const after = await fs.loadWithTag("churn/v.bin");
      const data = after?.data as Uint8Array;
      const newline = data.indexOf(10);
      const header = JSON.parse(new TextDecoder().decode(data.subarray(0, newline))) as { n: number; sha: string };
      expect(header.n).toBeGreaterThanOrEqual(target);
      expect(data.length - newline - 1).toBe(size);
      expect(
        createHash("sha256")
          .update(data.subarray(newline + 1))
          .digest("hex"),
      ).toBe(header.sha);
      // Whatever lock the dead process held, the next writer gets through.
      await fs.putConditional("churn/v.bin", data, { ifMatch: after?.tag as string });
      const listed: string[] = [];
      for await (const entry of fs.list("churn")) listed.push(entry.path.raw);
      // Temp and lock files a killed writer left are never listed.
      expect(listed).toEqual(["churn/v.bin"]);
    }
  }, 120_000);

  it("a full disk (ENOSPC, from /dev/full) rejects Io, and the handle then refuses every write", async () => {
    const base = join(root, "full");
    mkdirSync(base);
    symlinkSync("/dev/full", join(base, "device"));
    const full = new DenoFs({ root: base, followSymlinksOutsideRoot: true });
    const file = await full.open("device", { write: true });
    const kindOf = async (run: () => Promise<unknown>): Promise<string | undefined> => {
      try {
        await run();
        return undefined;
      } catch (error) {
        return (error as { kind?: string }).kind;
      }
    };
    // Appends may be buffered: the failure shows by the flush at the latest.
    expect(
      await kindOf(async () => {
        await file.writeAll(new Uint8Array(10));
        await file.flush();
      }),
    ).toBe("Io");
    expect(await kindOf(() => file.writeAll(new Uint8Array(10)))).toBe("Io");
    expect(await kindOf(() => file.flush())).toBe("Io");
    await file.close().catch(() => undefined);
  });

  shared.symlinkConfinement();
});
