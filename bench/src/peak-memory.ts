// Peak memory of one long operation (e.g. a 1 GiB streaming upload), each case in a fresh Node
// process so one case's garbage never counts against another: the child imports a module,
// calls one exported async function, and reports its peak RSS (getrusage maxrss) and time.
// Reported next to a budget, never asserted.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export interface MemoryCase {
  /** Shown in the report, e.g. "S3Fs writeAll 1 GiB (8 MiB parts, 4 in flight)". */
  name: string;
  /** Absolute path of the module to import in the child. */
  module: string;
  /** The async function the module exports; it gets `args` and does the whole operation. */
  exportName: string;
  /** JSON-serialisable arguments (endpoints, sizes). */
  args?: unknown;
}

export interface MemoryGroup {
  /** What is measured, e.g. "Peak RSS of a 1 GiB streaming upload to Ceph RGW". */
  title: string;
  cases: MemoryCase[];
  /** Budget for fusio's cases in bytes, shown next to them (e.g. partSize x (concurrency + 1) + 64 MiB). */
  budgetBytes?: number;
  /** Runs per case; the report keeps the highest peak (default 1). */
  rounds?: number;
}

export interface MemoryCaseResult {
  name: string;
  /** Highest peak RSS over the rounds, bytes. */
  peakRss: number;
  /** Median wall time of the operation, seconds. */
  seconds: number;
}

export interface MemoryGroupResult {
  title: string;
  budgetBytes?: number;
  rounds: number;
  results: MemoryCaseResult[];
}

const child = new URL("./peak-memory-child.ts", import.meta.url).pathname;
const tsx = new URL("../node_modules/tsx/dist/esm/index.mjs", import.meta.url).pathname;

/** Runs one case in a fresh process. Throws with the child's stderr when it fails. */
export function runIsolated(memoryCase: MemoryCase): { peakRss: number; seconds: number } {
  const result = spawnSync(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      tsx,
      child,
      memoryCase.module,
      memoryCase.exportName,
      JSON.stringify(memoryCase.args ?? null),
    ],
    { encoding: "utf8", cwd: join(child, "..") },
  );
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !line.startsWith("{")) {
    throw new Error(
      `${memoryCase.name} failed (exit ${result.status}): ${result.stderr.trim().split("\n").slice(-3).join(" / ")}`,
    );
  }
  return JSON.parse(line) as { peakRss: number; seconds: number };
}

export function runMemoryGroup(group: MemoryGroup): MemoryGroupResult {
  const rounds = group.rounds ?? 1;
  const runs = new Map<string, Array<{ peakRss: number; seconds: number }>>(group.cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < group.cases.length; i++) {
      const memoryCase = group.cases[(i + round) % group.cases.length] as MemoryCase;
      runs.get(memoryCase.name)?.push(runIsolated(memoryCase));
    }
  }
  return {
    title: group.title,
    ...(group.budgetBytes === undefined ? {} : { budgetBytes: group.budgetBytes }),
    rounds,
    results: group.cases.map((memoryCase) => {
      const mine = runs.get(memoryCase.name) ?? [];
      const times = mine.map((run) => run.seconds).sort((a, b) => a - b);
      return {
        name: memoryCase.name,
        peakRss: Math.max(...mine.map((run) => run.peakRss)),
        seconds: times[times.length >> 1] ?? Number.NaN,
      };
    }),
  };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** A Markdown table of one memory group. */
export function memoryTable(group: MemoryGroupResult): string {
  const lines = [
    `### ${group.title}`,
    "",
    group.budgetBytes === undefined ? "" : `Budget for fusio: ${mib(group.budgetBytes)} MiB peak RSS.\n`,
    `| case | peak RSS MiB (max of ${group.rounds}) | seconds (median) |`,
    "|---|---:|---:|",
  ].filter((line) => line !== "");
  for (const row of group.results) lines.push(`| ${row.name} | ${mib(row.peakRss)} | ${row.seconds.toFixed(2)} |`);
  return lines.join("\n");
}
