// Several processes on one root: CAS races and kill -9 at any point.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decode, tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";
import { kill9, type Worker, worker } from "./workers/spawn.ts";

const PROCESSES = 8;

describe("NodeFs across processes", () => {
  let dir: ReturnType<typeof tempDir>;
  let fs: NodeFs;
  const started: Worker[] = [];

  const start = (...args: string[]): Worker => {
    const child = worker(...args);
    started.push(child);
    return child;
  };

  beforeEach(() => {
    dir = tempDir("processes");
    fs = new NodeFs({ root: dir.path });
  });
  afterEach(async () => {
    for (const child of started.splice(0)) {
      child.child.kill("SIGKILL");
      await child.exited;
    }
    dir.cleanup();
  });

  it(`${PROCESSES} processes incrementing one counter by CAS: one winner per tag, no lost update`, async () => {
    const perProcess = 15;
    await fs.putConditional("counter.json", text(JSON.stringify({ n: 0 })), { ifNotExists: true });
    const children = Array.from({ length: PROCESSES }, () =>
      start("counter", dir.path, "counter.json", String(perProcess)),
    );
    await Promise.all(children.map((child) => child.next((message) => message === "ready")));
    for (const child of children) child.send("go");
    type Report = { wins: Array<{ from: string; to: string; n: number }>; conflicts: number };
    const reports = await Promise.all(children.map((child) => child.next<Report>((m) => typeof m === "object")));
    for (const child of children) expect((await child.exited).code).toBe(0);
    const wins = reports.flatMap((report) => report.wins);
    const total = PROCESSES * perProcess;
    expect(wins).toHaveLength(total);
    // Exactly one process won from each tag, each produced a distinct tag, and every count
    // from 1 to the total was written once.
    expect(new Set(wins.map((win) => win.from)).size).toBe(total);
    expect(new Set(wins.map((win) => win.to)).size).toBe(total);
    expect(wins.map((win) => win.n).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const final = await fs.loadWithTag("counter.json");
    expect((JSON.parse(decode(final?.data ?? text("{}"))) as { n: number }).n).toBe(total);
    expect(reports.reduce((sum, report) => sum + report.conflicts, 0)).toBeGreaterThan(0);
    // No lock or temp file is left behind.
    expect(readdirSync(dir.path)).toEqual(["counter.json"]);
  }, 120_000);

  it(`${PROCESSES} processes creating one key with ifNotExists: exactly one wins`, async () => {
    const children = Array.from({ length: PROCESSES }, (_, i) => start("create", dir.path, "once.txt", `creator-${i}`));
    await Promise.all(children.map((child) => child.next((message) => message === "ready")));
    for (const child of children) child.send("go");
    const outcomes = await Promise.all(children.map((child) => child.next<string>((m) => m === "won" || m === "lost")));
    expect(outcomes.filter((outcome) => outcome === "won")).toHaveLength(1);
    const winner = outcomes.indexOf("won");
    expect(decode((await fs.loadWithTag("once.txt"))?.data ?? new Uint8Array())).toBe(`creator-${winner}`);
    expect(readdirSync(dir.path)).toEqual(["once.txt"]);
  }, 120_000);

  it("a process killed while holding the CAS lock does not block the next writer", async () => {
    const tag = await fs.putConditional("held.json", text("v1"), { ifNotExists: true });
    const holder = start("hold", dir.path, "held.json");
    await holder.next((message) => message === "locked");
    expect(readdirSync(dir.path).some((name) => name.startsWith(".fusio-lock-"))).toBe(true);
    expect(readdirSync(dir.path).some((name) => name.startsWith(".fusio-tmp-"))).toBe(true);
    await kill9(holder);
    const next = await fs.putConditional("held.json", text("v2"), { ifMatch: tag });
    expect(typeof next).toBe("string");
    expect(decode((await fs.loadWithTag("held.json"))?.data ?? new Uint8Array())).toBe("v2");
    // The stale lock was broken and the dead writer's temp file swept.
    expect(readdirSync(dir.path)).toEqual(["held.json"]);
  }, 60_000);

  it("kill -9 at random points of CAS writes leaves a whole old or new version, and the next writer succeeds", async () => {
    const size = 512 * 1024;
    for (let round = 0; round < 4; round++) {
      const before = await fs.loadWithTag("churn.bin");
      const child = start("churn", dir.path, "churn.bin", String(size));
      const target = 1 + round * 2;
      await child.next((message) => typeof message === "number" && message >= target);
      // Land the kill at a different point of the write/lock/publish cycle each round.
      await new Promise((resolve) => setTimeout(resolve, round * 3));
      await kill9(child);
      const after = await fs.loadWithTag("churn.bin");
      expect(after).toBeDefined();
      const data = after?.data as Uint8Array;
      const newline = data.indexOf(10);
      const header = JSON.parse(decode(data.subarray(0, newline))) as { n: number; sha: string };
      const body = data.subarray(newline + 1);
      expect(body.length).toBe(size);
      expect(createHash("sha256").update(body).digest("hex")).toBe(header.sha);
      expect(header.n).toBeGreaterThanOrEqual(target);
      expect(after?.tag).not.toBe(before?.tag);
      // The next writer is not blocked by whatever the dead process held.
      await fs.putConditional("churn.bin", data, { ifMatch: after?.tag as string });
      // Leftover temp files (if any) are never listed.
      const listed: string[] = [];
      for await (const entry of fs.list("")) listed.push(entry.path.raw);
      expect(listed).toEqual(["churn.bin"]);
    }
  }, 120_000);

  it("kill -9 during plain appends leaves every finished record intact, and the file stays writable", async () => {
    const child = start("append", dir.path, "log.txt");
    await child.next((message) => typeof message === "number" && message >= 100);
    await kill9(child);
    const content = readFileSync(join(dir.path, "log.txt"), "utf8");
    const lines = content.split("\n");
    const partial = lines.pop() as string;
    expect(lines.length).toBeGreaterThanOrEqual(101);
    lines.forEach((line, i) => {
      expect(line).toBe(`record ${String(i).padStart(8, "0")} ${"x".repeat(4000)}`);
    });
    // An append cut short by the kill can only be a prefix of the next record.
    expect(`record ${String(lines.length).padStart(8, "0")} ${"x".repeat(4000)}`.startsWith(partial)).toBe(true);
    const file = await fs.open("log.txt", { write: true });
    await file.writeAll(text("\nafter crash\n"));
    await file.close();
    expect(readFileSync(join(dir.path, "log.txt"), "utf8").endsWith("\nafter crash\n")).toBe(true);
  }, 60_000);
});
