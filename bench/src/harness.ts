// Interleaved micro-benchmarks: every case of a group runs once per round, in a balanced order
// (each case follows every other alike), so slow and fast phases of this VM hit all of them alike.
// Reports the median and spread of the per-round rates and each case's ratio to the group's baseline.
import os from "node:os";

export interface BenchCase {
  /** Shown in the report, e.g. "NodeFs.readExactAt" or "fs.read (callback)". */
  name: string;
  /** One operation. */
  op(): Promise<unknown>;
  /** Operations in flight at once (default 1). */
  concurrency?: number;
  /** Units per operation for a throughput column (bytes for MB/s); default ops. */
  unitsPerOp?: number;
}

export interface BenchGroup {
  /** What is measured, e.g. "4 KiB random readExactAt, 1 in flight". */
  title: string;
  /** The name of the case that ratios divide by. */
  baseline: string;
  cases: BenchCase[];
  /** Operations per case per round (default 2000). */
  opsPerRound?: number;
  /** Rounds (default 5). */
  rounds?: number;
  /** `"ops/s"` (default) or `"MB/s"`. */
  unit?: "ops/s" | "MB/s";
  /** Warm-up operations per case (default max(10, opsPerRound / 8)); large uploads set 1. */
  warmup?: number;
  /** Called once after the group ran (or failed): stop the servers and clients it started. */
  teardown?: () => Promise<void>;
  /**
   * fusio as a user gets it without configuring anything (the backend built as its README's
   * first example): with `floor`, the report's summary leads with its ratio to the floor.
   */
  defaultCase?: string;
  /** The case `defaultCase` is held to (DESIGN.md, "Budgets"); default: the baseline. */
  floor?: string;
}

export interface CaseResult {
  name: string;
  median: number;
  min: number;
  max: number;
  /** median / baseline median (higher = faster). */
  ratio: number;
  /**
   * The median over rounds of this case's rate / the baseline's rate in the same round. Rounds
   * run the cases back to back, so this pairs measurements taken under the same load and is
   * steadier than `ratio` when the machine's speed drifts (another process, a slow phase).
   */
  pairedRatio: number;
  /**
   * Median CPU time (user + system, all threads of the process) per operation, in µs. Unlike
   * rates, it barely moves when other processes compete for the cores.
   */
  cpuPerOp: number;
  /** The median over rounds of the baseline's CPU per op / this case's (higher = cheaper). */
  cpuRatio: number;
}

export interface GroupResult {
  title: string;
  baseline: string;
  unit: string;
  rounds: number;
  results: CaseResult[];
  /** The default configuration against the floor, in the same rounds (groups that name one). */
  headline?: Headline;
}

/** How fusio's default configuration did against the floor of its group. */
export interface Headline {
  defaultCase: string;
  floor: string;
  /** Median ÷ the floor's median. */
  ratio: number;
  /** The median over rounds of the default case's rate ÷ the floor's rate in the same round. */
  pairedRatio: number;
}

/** Runs `ops` operations; the rate (units per second) and the CPU µs per operation. */
async function timeCase(benchCase: BenchCase, ops: number): Promise<{ rate: number; cpu: number }> {
  const concurrency = benchCase.concurrency ?? 1;
  let next = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < ops) await benchCase.op();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { rate: (ops * (benchCase.unitsPerOp ?? 1)) / seconds, cpu: (cpu.user + cpu.system) / ops };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The order of `n` cases in round `round`: a balanced (Williams) Latin square, so that over `n`
 * rounds (2n when n is odd) every case runs right after every other case equally often. A case
 * pays for what the one before left behind (garbage to collect, sockets to close); a plain
 * rotation keeps the same neighbours in every round, and so charged one case for another's
 * garbage every time.
 */
export function caseOrder(n: number, round: number): number[] {
  const base = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? n - i / 2 : (i + 1) / 2) % n);
  const order = base.map((index) => (index + round) % n);
  return n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? order.reverse() : order;
}

/** Runs one group: a warm-up, then `rounds` rounds in a balanced case order (see {@link caseOrder}). */
export async function runGroup(group: BenchGroup): Promise<GroupResult> {
  try {
    return await measureGroup(group);
  } finally {
    await group.teardown?.();
  }
}

async function measureGroup(group: BenchGroup): Promise<GroupResult> {
  const ops = group.opsPerRound ?? 2000;
  const rounds = group.rounds ?? 5;
  const unit = group.unit ?? "ops/s";
  const scale = unit === "MB/s" ? 1 / 1e6 : 1;
  const rates = new Map<string, number[]>(group.cases.map((benchCase) => [benchCase.name, []]));
  const cpus = new Map<string, number[]>(group.cases.map((benchCase) => [benchCase.name, []]));
  for (const benchCase of group.cases) await timeCase(benchCase, group.warmup ?? Math.max(10, ops >> 3));
  for (let round = 0; round < rounds; round++) {
    for (const index of caseOrder(group.cases.length, round)) {
      const benchCase = group.cases[index] as BenchCase;
      const { rate, cpu } = await timeCase(benchCase, ops);
      rates.get(benchCase.name)?.push(rate * scale);
      cpus.get(benchCase.name)?.push(cpu);
    }
  }
  const result = summarize({ title: group.title, baseline: group.baseline, unit, rounds }, rates, cpus);
  return group.defaultCase === undefined
    ? result
    : { ...result, headline: headline(rates, group.defaultCase, group.floor ?? group.baseline) };
}

/** The default case's ratio and paired ratio to the floor, from the per-round rates of both. */
export function headline(rates: ReadonlyMap<string, number[]>, defaultCase: string, floor: string): Headline {
  const mine = rates.get(defaultCase);
  const floorRates = rates.get(floor);
  if (mine === undefined || floorRates === undefined) {
    throw new Error(`no case named ${mine === undefined ? defaultCase : floor} in the group`);
  }
  return {
    defaultCase,
    floor,
    ratio: median(mine) / median(floorRates),
    pairedRatio: median(mine.map((rate, round) => rate / (floorRates[round] ?? Number.NaN))),
  };
}

/**
 * A group's result from the per-round rates of each case (in case order) and, where there is a
 * CPU clock, the per-round CPU µs per operation; without one the CPU columns are NaN (groups
 * timed inside a browser).
 */
export function summarize(
  group: Omit<GroupResult, "results">,
  rates: ReadonlyMap<string, number[]>,
  cpus: ReadonlyMap<string, number[]> = new Map(),
): GroupResult {
  const baselineRates = rates.get(group.baseline) ?? [];
  const baseline = median(baselineRates.length > 0 ? baselineRates : [Number.NaN]);
  const baselineCpus = cpus.get(group.baseline) ?? [];
  return {
    ...group,
    results: [...rates.keys()].map((name) => {
      const values = rates.get(name) ?? [];
      const cpuValues = cpus.get(name) ?? [];
      const value = median(values);
      return {
        name,
        median: value,
        min: Math.min(...values),
        max: Math.max(...values),
        ratio: value / baseline,
        pairedRatio: median(values.map((rate, round) => rate / (baselineRates[round] ?? Number.NaN))),
        cpuPerOp: cpuValues.length > 0 ? median(cpuValues) : Number.NaN,
        cpuRatio:
          cpuValues.length > 0
            ? median(cpuValues.map((cpu, round) => (baselineCpus[round] ?? Number.NaN) / cpu))
            : Number.NaN,
      };
    }),
  };
}

/** fusio's cases are named after their Fs class ("NodeFs readExactAt", "S3Fs ..."). */
export function isFusioCase(name: string): boolean {
  return /^\w+Fs\b/.test(name) || name.toLowerCase().startsWith("fusio");
}

/** Where and with what the numbers were taken. */
export function machine(): Record<string, string> {
  return {
    date: new Date().toISOString(),
    cpu: `${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** A Markdown table of one group. */
export function table(group: GroupResult): string {
  const lines = [
    `### ${group.title}`,
    "",
    `| case | median ${group.unit} | min–max | ratio to ${group.baseline} | paired ratio | CPU µs/op | CPU ratio |`,
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of group.results) {
    const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
    // A browser page has no CPU clock: its groups have no CPU columns to show.
    const cpu = (value: number, digits: number) => (Number.isNaN(value) ? "—" : value.toFixed(digits));
    lines.push(
      `| ${row.name} | ${fmt(row.median)} | ${fmt(row.min)}–${fmt(row.max)} | ${row.ratio.toFixed(3)} | ${row.pairedRatio.toFixed(3)} | ${cpu(row.cpuPerOp, 2)} | ${cpu(row.cpuRatio, 3)} |`,
    );
  }
  return lines.join("\n");
}

/**
 * The summary the speed section leads with: every group's default configuration against its
 * floor (DESIGN.md, "Budgets": within 5%, so 0.95 or more).
 */
export function summaryTable(results: GroupResult[]): string {
  const lines = ["| group | default configuration | floor | ratio | paired ratio |", "|---|---|---|---:|---:|"];
  for (const group of results) {
    const line = group.headline;
    if (line === undefined) continue;
    lines.push(
      `| ${group.title} | ${line.defaultCase} | ${line.floor} | ${line.ratio.toFixed(3)} | ${line.pairedRatio.toFixed(3)} |`,
    );
  }
  return lines.join("\n");
}
