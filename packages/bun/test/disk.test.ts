import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BunFs } from "@fusio/bun";
import { runtimeDiskTests } from "@fusio-internal/test-support/disk/runtime-disk-tests";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "fusio-bun-disk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = new BunFs({ root });
const shared = runtimeDiskTests({ fs, root, create: (dir) => new BunFs({ root: dir }) }, { it, expect });

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("BunFs inside Bun", () => {
  it("runs in Bun, with kind bun", () => {
    expect(typeof process.versions.bun).toBe("string");
    expect(fs.kind).toBe("bun");
  });

  shared.concurrentReads();
  shared.concurrentWholeReads();
  shared.openedFileKept();

  it("a read-write handle reads back its own appends, still in the FileSink's buffer", async () => {
    const file = await fs.open("own.bin", { create: true, truncate: true });
    await file.writeAll(new TextEncoder().encode("hello "));
    await file.writeAll(new TextEncoder().encode("world"));
    expect(await file.size()).toBe(11);
    expect(new TextDecoder().decode(await file.readExactAt(new Uint8Array(5), 6))).toBe("world");
    expect(new TextDecoder().decode(await file.readToEndAt(0))).toBe("hello world");
    await file.close();
  });

  it("two handles appending to one file (each through its own FileSink) never overwrite each other", async () => {
    await fs.open("shared.log", { create: true, truncate: true }).then((file) => file.close());
    const a = await fs.open("shared.log", { write: true });
    const b = await fs.open("shared.log", { write: true });
    for (let i = 0; i < 5; i++) {
      await a.writeAll(new TextEncoder().encode(`A${i}`));
      await a.flush();
      await b.writeAll(new TextEncoder().encode(`B${i}`));
      await b.flush();
    }
    await a.close();
    await b.close();
    const reader = await fs.open("shared.log");
    expect(new TextDecoder().decode(await reader.readToEndAt(0))).toBe("A0B0A1B1A2B2A3B3A4B4");
    await reader.close();
  });

  shared.appendOrder();

  it("CAS is atomic across Bun processes: concurrent racers lose no update", async () => {
    const racers = 4;
    const rounds = 15;
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        run(process.execPath, [
          "--conditions=source",
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
      const child = spawn(
        process.execPath,
        ["--conditions=source", join(import.meta.dirname, "cas-worker.ts"), "churn", root, "churn/v.bin", String(size)],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      const target = 1 + round * 2;
      await published(child, target);
      // Land the kill at a different point of the write / lock / publish cycle each round.
      await new Promise((resolve) => setTimeout(resolve, round * 3));
      const exited = new Promise((resolve) => child.on("close", resolve));
      child.kill("SIGKILL");
      await exited;
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
    const full = new BunFs({ root: base, followSymlinksOutsideRoot: true });
    const file = await full.open("device", { read: true, write: true });
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
    // Reads through the handle flush its FileSink first: they reject too, with a FusioError.
    expect(await kindOf(() => file.readExactAt(new Uint8Array(4), 0))).toBe("Io");
    await file.close().catch(() => undefined);
  });

  shared.symlinkConfinement();
});

/** Resolves once the churn worker printed a version number >= `target`. */
function published(child: ChildProcess, target: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      if (lines.some((line) => Number(line) >= target)) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.on("close", (code) => reject(new Error(`the churn worker exited with ${code}`)));
  });
}
