// Writers, a compactor and a shared-plan GC as separate OS processes on one manifest on S3 (the
// shared Ceph RGW); victims SIGKILL themselves at exact points: after the segment is written,
// before HEAD moves, after HEAD moved but before the writer heard, before the segment is
// written, mid-compaction (a checkpoint document written, HEAD not yet at it) and mid-GC (a segment
// deleted, the rest not). Then a fresh writer process recovers: nothing acknowledged is lost,
// every transaction whose segment was written is applied exactly once, none that had not, and
// the history replays serially. The workers run the built packages (build-global-setup.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Manifest } from "@fusio/manifest";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, type BankValue, INITIAL, uniquePrefix } from "./bank.ts";
import { s3Fs, s3Options } from "./s3.ts";

const WORKER = new URL("./workers/s3-bank-worker.mjs", import.meta.url).pathname;
const LEASE_TTL_MS = 1500;
const PER_WRITER = 6;

interface Kill {
  op: "put" | "remove";
  match: string;
  when: "before" | "after";
  nth: number;
}
interface Intent {
  type: "intent";
  id: string;
  from: string;
  to: string;
  amount: number;
  read: { from: number; to: number };
}
type Entry = Intent | { type: "committed" | "aborted"; id: string } | { type: "killed"; at: string };

/** Where each victim dies, and whether its transaction in flight then must be applied. */
const VICTIMS: Array<{ name: string; role: string; kill: Kill; inFlight?: "applied" | "not applied" }> = [
  { name: "w1", role: "writer", kill: { op: "put", match: "/segments/", when: "after", nth: 3 }, inFlight: "applied" },
  { name: "w2", role: "writer", kill: { op: "put", match: "HEAD.json", when: "before", nth: 4 }, inFlight: "applied" },
  { name: "w3", role: "writer", kill: { op: "put", match: "HEAD.json", when: "after", nth: 3 }, inFlight: "applied" },
  {
    name: "w4",
    role: "writer",
    kill: { op: "put", match: "/segments/", when: "before", nth: 3 },
    inFlight: "not applied",
  },
  { name: "c", role: "compactor", kill: { op: "put", match: "/checkpoints/", when: "after", nth: 3 } },
  { name: "g", role: "gc", kill: { op: "remove", match: "/segments/", when: "after", nth: 2 } },
];
const SURVIVORS = ["w0", "w5"];

const exited = (child: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));

const readLog = (path: string): Entry[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);

const killedAt = (log: Entry[]): string => {
  const last = log.at(-1);
  return last?.type === "killed" ? last.at : "not killed";
};

describe("separate processes on S3 (Ceph RGW)", () => {
  it("writers, a compactor and a GC SIGKILLed at exact points; the next writer recovers", {
    timeout: 150_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "fusio-manifest-s3-procs-"));
    const prefix = uniquePrefix("procs");
    const stderr = new Map<string, string>();
    const children = new Map<string, ChildProcess>();
    const start = (name: string, role: string, count: number, seed: number, kill?: Kill): ChildProcess => {
      const log = join(dir, `${name}.log`);
      writeFileSync(log, "");
      const job = { s3: s3Options(), prefix, role, name, count, seed, log, kill, leaseTtlMs: LEASE_TTL_MS };
      const child = spawn(process.execPath, [WORKER, JSON.stringify(job)], { stdio: ["ignore", "ignore", "pipe"] });
      stderr.set(name, "");
      child.stderr?.on("data", (chunk: Buffer) => stderr.set(name, stderr.get(name) + chunk.toString()));
      children.set(name, child);
      return child;
    };
    try {
      const manifest = new Manifest<BankValue>(s3Fs(), { prefix, retention: { leaseTtlMs: LEASE_TTL_MS } });
      const setup = await manifest.writeSession();
      for (const account of ACCOUNTS) setup.put(account, INITIAL);
      setup.put("history", []);
      await setup.commit();

      for (const [i, name] of SURVIVORS.entries()) start(name, "writer", PER_WRITER, 11 + i);
      for (const [i, victim] of VICTIMS.entries()) start(victim.name, victim.role, PER_WRITER, 21 + i, victim.kill);
      for (const name of SURVIVORS) {
        expect(await exited(children.get(name) as ChildProcess), stderr.get(name)).toEqual({ code: 0, signal: null });
      }
      // Every victim dies at its own point (the GC one once the writers' leases lapse and it
      // may delete segments); one that never got there is a failure, not a pass.
      const deadline = setTimeout(() => {
        for (const victim of VICTIMS) children.get(victim.name)?.kill("SIGTERM");
      }, 30_000);
      for (const victim of VICTIMS) {
        const ended = await exited(children.get(victim.name) as ChildProcess);
        expect({ victim: victim.name, ...ended }, stderr.get(victim.name)).toEqual({
          victim: victim.name,
          code: null,
          signal: "SIGKILL",
        });
        expect(readLog(join(dir, `${victim.name}.log`)).at(-1)?.type).toBe("killed");
      }
      clearTimeout(deadline);

      // The next writer, once the victims' leases lapsed: it adopts their orphan segments.
      await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 200));
      const next = start("w9", "writer", 2, 99);
      expect(await exited(next), stderr.get("w9")).toEqual({ code: 0, signal: null });
      expect(await manifest.recoverOrphans()).toBe(0);

      const names = [...SURVIVORS, ...VICTIMS.map((victim) => victim.name), "w9"];
      const logs = new Map(names.map((name) => [name, readLog(join(dir, `${name}.log`))]));
      const entries = [...logs.values()].flat();
      const intents = new Map(entries.filter((e): e is Intent => e.type === "intent").map((e) => [e.id, e]));
      const acknowledged = new Set(entries.flatMap((e) => (e.type === "committed" ? [e.id] : [])));
      const rejected = new Set(entries.flatMap((e) => (e.type === "aborted" ? [e.id] : [])));

      const state = new Map(await manifest.scan());
      const history = state.get("history") as string[];
      expect(new Set(history).size).toBe(history.length);
      for (const id of acknowledged) expect(history).toContain(id);
      expect(history.filter((id) => rejected.has(id))).toEqual([]);
      // A victim's transaction in flight (intent logged, no outcome) is applied iff its segment was written.
      const inFlight: string[] = [];
      for (const victim of VICTIMS.filter((v) => v.inFlight !== undefined)) {
        const log = logs.get(victim.name) as Entry[];
        const last = log.filter((e) => e.type !== "killed").at(-1);
        const at = killedAt(log);
        if (last?.type !== "intent") continue; // killed outside a commit (in orphan recovery)
        inFlight.push(last.id);
        expect({ at, applied: history.includes(last.id) }).toEqual({ at, applied: victim.inFlight === "applied" });
      }
      // The segment-written crashes cannot all have struck outside a commit.
      expect(inFlight.length).toBeGreaterThan(1);
      for (const id of history.filter((id) => !acknowledged.has(id))) expect(inFlight).toContain(id);

      const balances = new Map(ACCOUNTS.map((a) => [a, INITIAL]));
      for (const id of history) {
        const intent = intents.get(id) as Intent;
        expect({ id, from: balances.get(intent.from), to: balances.get(intent.to) }).toEqual({ id, ...intent.read });
        balances.set(intent.from, (balances.get(intent.from) as number) - intent.amount);
        balances.set(intent.to, (balances.get(intent.to) as number) + intent.amount);
      }
      for (const account of ACCOUNTS) expect(state.get(account)).toBe(balances.get(account));
      expect(ACCOUNTS.reduce((sum, a) => sum + (state.get(a) as number), 0)).toBe(INITIAL * ACCOUNTS.length);
      // The survivors and the next writer finished all their transfers.
      for (const name of [...SURVIVORS, "w9"]) {
        expect(history.filter((id) => id.startsWith(`${name}-`))).toHaveLength(name === "w9" ? 2 : PER_WRITER);
      }
      console.info(
        `S3 processes: ${history.length} committed (${acknowledged.size} acknowledged, ${inFlight.length} in flight at a kill), ${rejected.size} lost races; killed at: ${VICTIMS.map((v) => `${v.name} ${killedAt(logs.get(v.name) ?? [])}`).join("; ")}`,
      );
    } finally {
      for (const child of children.values())
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
