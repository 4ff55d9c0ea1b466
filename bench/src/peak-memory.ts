// Peak memory of one long operation (e.g. a 1 GiB streaming upload), each case in a fresh Node
// process so one case's garbage never counts against another: the child imports a module,
// calls one exported async function, and reports its peak RSS, its RSS just before the
// operation (libraries loaded, after a GC) and the time. The figure that matters is the peak
// above that baseline: what the operation itself held. Reported next to a budget, never asserted.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { isFusioCase } from "./harness.ts";

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
  /** Bytes each case moves, for a MB/s column. */
  bytes?: number;
  /** Called once after the group ran (or failed): stop the servers it started. */
  teardown?: () => Promise<void>;
}

export interface MemoryCaseResult {
  name: string;
  /** Highest peak RSS over the rounds, bytes. */
  peakRss: number;
  /** Highest peak RSS above the RSS just before the operation over the rounds, bytes. */
  growth: number;
  /** RSS just before the operation (the median over the rounds), bytes. */
  baselineRss: number;
  /** Median wall time of the operation, seconds. */
  seconds: number;
}

export interface MemoryGroupResult {
  title: string;
  budgetBytes?: number;
  bytes?: number;
  rounds: number;
  results: MemoryCaseResult[];
}

const child = new URL("./peak-memory-child.ts", import.meta.url).pathname;
const tsx = new URL("../node_modules/tsx/dist/esm/index.mjs", import.meta.url).pathname;

interface Run {
  peakRss: number;
  baselineRss: number;
  seconds: number;
}

/** Runs one case in a fresh process. Throws with the child's stderr when it fails. */
export function runIsolated(memoryCase: MemoryCase): Run {
  const result = spawnSync(
    process.execPath,
    [
      "--expose-gc",
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
  return JSON.parse(line) as Run;
}

const middle = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

export function runMemoryGroup(group: MemoryGroup): MemoryGroupResult {
  const rounds = group.rounds ?? 1;
  const runs = new Map<string, Run[]>(group.cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < group.cases.length; i++) {
      const memoryCase = group.cases[(i + round) % group.cases.length] as MemoryCase;
      runs.get(memoryCase.name)?.push(runIsolated(memoryCase));
    }
  }
  return {
    title: group.title,
    ...(group.budgetBytes === undefined ? {} : { budgetBytes: group.budgetBytes }),
    ...(group.bytes === undefined ? {} : { bytes: group.bytes }),
    rounds,
    results: group.cases.map((memoryCase) => {
      const mine = runs.get(memoryCase.name) ?? [];
      return {
        name: memoryCase.name,
        peakRss: Math.max(...mine.map((run) => run.peakRss)),
        growth: Math.max(...mine.map((run) => run.peakRss - run.baselineRss)),
        baselineRss: middle(mine.map((run) => run.baselineRss)),
        seconds: middle(mine.map((run) => run.seconds)),
      };
    }),
  };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/**
 * A Markdown table of one memory group: each case's peak above its baseline first (checked
 * against the budget for fusio's cases), then the raw peak and baseline, time and throughput.
 */
export function memoryTable(group: MemoryGroupResult): string {
  const budget = group.budgetBytes;
  const lines = [`### ${group.title}`, ""];
  if (budget !== undefined) {
    lines.push(
      `Budget for fusio: ${mib(budget)} MiB above the baseline (DESIGN.md: partSize x (concurrency + 1) + 64 MiB).`,
      "",
    );
  }
  lines.push(
    `| case | peak above baseline MiB (max of ${group.rounds}) |${budget === undefined ? "" : " within budget |"} peak RSS MiB | baseline RSS MiB | seconds (median) |${group.bytes === undefined ? "" : " MB/s |"}`,
    `|---|---:|${budget === undefined ? "" : "---|"}---:|---:|---:|${group.bytes === undefined ? "" : "---:|"}`,
  );
  for (const row of group.results) {
    const verdict = !isFusioCase(row.name) ? "—" : row.growth <= (budget ?? 0) ? "yes" : "**no**";
    lines.push(
      [
        "",
        row.name,
        mib(row.growth),
        ...(budget === undefined ? [] : [verdict]),
        mib(row.peakRss),
        mib(row.baselineRss),
        row.seconds.toFixed(2),
        ...(group.bytes === undefined ? [] : [(group.bytes / 1e6 / row.seconds).toFixed(0)]),
        "",
      ]
        .join(" | ")
        .trim(),
    );
  }
  return lines.join("\n");
}
