// Writers and a compactor as separate OS processes on one local directory, some killed with
// SIGKILL at random points: afterwards nothing acknowledged is lost, nothing is applied twice,
// nothing rejected is applied, and the history replays serially. The workers run the built
// package, so this file builds it first (`tsc -b`, incremental).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Manifest } from "@fusio/manifest";
import { NodeFs } from "@fusio/node";
import { beforeAll, describe, expect, it } from "vitest";

const WORKER = new URL("./workers/bank-worker.mjs", import.meta.url).pathname;
const REPO = new URL("../../../", import.meta.url).pathname;
const ACCOUNTS = ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"];
const INITIAL = 100;
const LEASE_TTL_MS = 1500;

interface Intent {
  type: "intent";
  id: string;
  from: string;
  to: string;
  amount: number;
  read: { from: number; to: number };
}
type Entry = Intent | { type: "committed" | "aborted"; id: string };

beforeAll(() => {
  const build = spawnSync("npx", ["tsc", "-b", "packages/manifest", "packages/node"], { cwd: REPO, encoding: "utf8" });
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 300_000);

function start(root: string, role: string, name: string, count: number, seed: number, logPath: string): ChildProcess {
  writeFileSync(logPath, "");
  return spawn(process.execPath, [WORKER, root, role, name, String(count), String(seed), logPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.on("exit", (code) => resolve(code)));

describe("separate processes on local disk", () => {
  it("4 writer processes and a compactor, two writers and the compactor SIGKILLed", { timeout: 240_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "fusio-manifest-procs-"));
    try {
      const manifest = new Manifest<number | string[]>(new NodeFs({ root }), {
        prefix: "bank",
        retention: { leaseTtlMs: LEASE_TTL_MS },
      });
      const setup = await manifest.writeSession();
      for (const account of ACCOUNTS) setup.put(account, INITIAL);
      setup.put("history", []);
      await setup.commit();

      const names = ["w0", "w1", "w2", "w3"];
      const logs = names.map((name) => join(root, `${name}.log`));
      const writers = names.map((name, i) => start(root, "writer", name, 12, 11 + i, logs[i] as string));
      const compactor = start(root, "compactor", "c", 0, 1, join(root, "c.log"));
      const stderr = new Map<ChildProcess, string>();
      for (const child of [...writers, compactor]) {
        stderr.set(child, "");
        child.stderr?.on("data", (chunk: Buffer) => stderr.set(child, stderr.get(child) + chunk.toString()));
      }
      // Kill each victim writer a few milliseconds after its 3rd or 5th intent, wherever it is
      // then (segment written, HEAD not moved yet; or just after); the compactor once the
      // writers are dead, mid-compaction or mid-GC.
      const intentsIn = (path: string): number => readFileSync(path, "utf8").split('"type":"intent"').length - 1;
      const killAfter = async (victim: ChildProcess, log: string, intents: number, extraMs: number) => {
        const deadline = Date.now() + 60_000;
        while (intentsIn(log) < intents && victim.exitCode === null && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await new Promise((resolve) => setTimeout(resolve, extraMs));
        victim.kill("SIGKILL");
      };
      await Promise.all([
        killAfter(writers[1] as ChildProcess, logs[1] as string, 3, 3),
        killAfter(writers[3] as ChildProcess, logs[3] as string, 5, 11),
      ]);
      const victims = [writers[1], writers[3], compactor] as ChildProcess[];
      compactor.kill("SIGKILL");
      for (const child of [writers[0], writers[2]] as ChildProcess[]) {
        expect(await exited(child), stderr.get(child)).toBe(0);
      }
      await Promise.all(victims.map(exited));

      // Orphans of killed writers are adopted once their leases lapse.
      await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 200));
      await manifest.recoverOrphans();
      await manifest.compactor().runOnce();

      const entries: Entry[] = logs.flatMap((path) =>
        readFileSync(path, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Entry),
      );
      const intents = new Map(entries.filter((e): e is Intent => e.type === "intent").map((e) => [e.id, e]));
      const acknowledged = new Set(entries.filter((e) => e.type === "committed").map((e) => e.id));
      const rejected = new Set(entries.filter((e) => e.type === "aborted").map((e) => e.id));
      const killed = new Set(["w1", "w3"]);

      const state = new Map(await manifest.scan());
      const history = state.get("history") as string[];
      expect(new Set(history).size).toBe(history.length);
      for (const id of acknowledged) expect(history).toContain(id);
      expect(history.filter((id) => rejected.has(id))).toEqual([]);
      // Anything applied without an acknowledgement was in flight in a killed process.
      for (const id of history.filter((id) => !acknowledged.has(id))) {
        expect(killed.has(id.split("-")[0] as string)).toBe(true);
        expect(intents.has(id)).toBe(true);
      }
      const balances = new Map(ACCOUNTS.map((a) => [a, INITIAL]));
      for (const id of history) {
        const intent = intents.get(id) as Intent;
        expect({ id, from: balances.get(intent.from), to: balances.get(intent.to) }).toEqual({ id, ...intent.read });
        balances.set(intent.from, (balances.get(intent.from) as number) - intent.amount);
        balances.set(intent.to, (balances.get(intent.to) as number) + intent.amount);
      }
      for (const account of ACCOUNTS) expect(state.get(account)).toBe(balances.get(account));
      expect(ACCOUNTS.reduce((sum, a) => sum + (state.get(a) as number), 0)).toBe(INITIAL * ACCOUNTS.length);
      // The survivors finished all their transfers.
      expect(history.filter((id) => id.startsWith("w0-") || id.startsWith("w2-"))).toHaveLength(24);
      console.info(
        `processes: ${history.length} committed (${acknowledged.size} acknowledged), ${rejected.size} lost races`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
