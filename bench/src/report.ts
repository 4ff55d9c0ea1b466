// Writes bench/results/latest.json and docs/benchmarks.md (+ its two SVG charts) from one run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { type GroupResult, isFusioCase, summaryTable, table } from "./harness.ts";
import { type MemoryGroupResult, memoryTable } from "./peak-memory.ts";
import type { JobKind } from "./size/catalog.ts";
import type { SizeRow } from "./size/measure.ts";
import type { Proof } from "./size/prove.ts";
import { escapeXml, sizeChart, sizeTables } from "./size/report.ts";

export interface SizeSection {
  rows: SizeRow[];
  proofs: Proof[];
  servers: Partial<Record<JobKind, string>>;
}

/** Versions of the runtimes and the bundler the numbers were taken with. */
export function toolVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  const root = new URL("../../", import.meta.url).pathname;
  for (const [name, args] of [
    ["esbuild", [`${root}bench/node_modules/.bin/esbuild`, "--version"]],
    ["bun", ["bun", "--version"]],
    ["deno", ["deno", "--version"]],
  ] as const) {
    const found = spawnSync(args[0], args.slice(1), {
      encoding: "utf8",
      timeout: 5000,
      env: { ...process.env, PATH: `${root}bench/node_modules/.bin:${root}node_modules/.bin:${process.env.PATH}` },
    });
    if (found.status === 0) versions[name] = (found.stdout.trim().split("\n")[0] ?? "").replace(/^(bun|deno) /, "");
  }
  return versions;
}

/** Bars of each case's ratio to its group's baseline (1.0 = as fast as the baseline). */
export function speedChart(results: GroupResult[]): string {
  const labelWidth = 360;
  const barWidth = 300;
  const rowHeight = 18;
  const max = Math.max(
    1.2,
    ...results.flatMap((group) => group.results.map((row) => row.ratio)).filter(Number.isFinite),
  );
  const x = (ratio: number) => labelWidth + (Math.min(ratio, max) / max) * barWidth;
  const parts: string[] = [];
  let y = 28;
  for (const group of results) {
    parts.push(`<text x="4" y="${y + 12}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += rowHeight;
    for (const row of group.results) {
      const ratio = Number.isFinite(row.ratio) ? row.ratio : 0;
      const color = row.name === group.baseline ? "#868e96" : isFusioCase(row.name) ? "#d9480f" : "#1c7ed6";
      parts.push(
        `<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end">${escapeXml(row.name)}</text>`,
        `<rect x="${labelWidth}" y="${y + 2}" width="${Math.max(1, x(ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 5}" fill="${color}"/>`,
        `<text x="${(x(ratio) + 4).toFixed(1)}" y="${y + 12}">${ratio.toFixed(3)}</text>`,
      );
      y += rowHeight;
    }
    y += 6;
  }
  const one = x(1).toFixed(1);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 70}" height="${y + 10}" font-family="sans-serif" font-size="12">`,
    `<title>Throughput relative to the baseline</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="4" y="14" font-weight="bold">Throughput ÷ the baseline (median of interleaved rounds; fusio orange, baseline grey, others blue)</text>`,
    ...parts,
    `<line x1="${one}" y1="22" x2="${one}" y2="${y}" stroke="#212529" stroke-dasharray="4 3"/>`,
    "</svg>",
    "",
  ].join("\n");
}

/**
 * A run of some parts (`pnpm bench size`) keeps the other parts of the previous run: the size
 * section when this run has none, and every speed group this run did not measure.
 */
function withPrevious(latest: URL, now: Sections): Sections {
  if (!existsSync(latest)) return now;
  try {
    const previous = JSON.parse(readFileSync(latest, "utf8")) as Partial<Sections>;
    const keep = <T extends { title: string }>(old: T[] | undefined, fresh: T[]) => {
      const titles = new Set(fresh.map((group) => group.title));
      return [...(old ?? []).filter((group) => !titles.has(group.title)), ...fresh];
    };
    return {
      size: now.size ?? previous.size,
      results: keep(previous.results, now.results),
      memory: keep(previous.memory, now.memory),
    };
  } catch {
    return now;
  }
}

interface Sections {
  size: SizeSection | undefined;
  results: GroupResult[];
  memory: MemoryGroupResult[];
}

export function writeReport(
  about: Record<string, string>,
  sizeNow: SizeSection | undefined,
  resultsNow: GroupResult[],
  options: { keepPrevious?: boolean; memory?: MemoryGroupResult[]; root?: URL } = {},
): void {
  const root = options.root ?? new URL("../../", import.meta.url);
  const now: Sections = { size: sizeNow, results: resultsNow, memory: options.memory ?? [] };
  const { size, results, memory } = options.keepPrevious
    ? withPrevious(new URL("bench/results/latest.json", root), now)
    : now;
  mkdirSync(new URL("bench/results/", root), { recursive: true });
  mkdirSync(new URL("docs/", root), { recursive: true });
  writeFileSync(
    new URL("bench/results/latest.json", root),
    `${JSON.stringify({ machine: about, ...(size ? { size } : {}), results, ...(memory.length ? { memory } : {}) }, null, 2)}\n`,
  );
  const lines = [
    "# Benchmarks",
    "",
    "Generated by `pnpm bench` (`bench/results/latest.json` holds the same numbers). Do not edit by hand.",
    "",
    Object.entries(about)
      .map(([key, value]) => `- ${key}: ${value}`)
      .join("\n"),
    "",
  ];
  if (size) {
    writeFileSync(new URL("docs/benchmarks-size.svg", root), sizeChart(size.rows));
    lines.push(
      "## Bundle size",
      "",
      "One fixed job per backend, bundled with esbuild (minified ESM, tree-shaken, code-split, `legalComments: none`, workspace packages from source through the `source` condition — their tsc output in `dist` bundles to the same bytes) and compressed with `gzip -9` chunk by chunk; KB = 1000 bytes. The min and gz columns count what loads with the job's entry: the entry chunk and every chunk it imports statically, plus, in the node columns, any lazy chunk the job was seen loading when it ran. \"lazy\" is the rest: chunks only a dynamic `import()` reaches (code for features the job does not use), listed so nothing is hidden. The floor is the least code that does the job by hand. In the node columns, undici is left external like Node's built-ins: it is Node's own HTTP client (Node's fetch is undici inside), which `@fusio/http` installs and loads under the `node` condition as fusio's default client; browser and Workers bundles never reach it. Peers are pinned to versions that run on Node 20 (flydrive 1.3, not 2.x). Deterministic: `pnpm check` enforces what is stated under each table (DESIGN.md, \"Budgets\").",
      "",
      "![Bundle size relative to the floor](benchmarks-size.svg)",
      "",
      sizeTables(size.rows, size.proofs, size.servers),
    );
  }
  if (results.length) {
    writeFileSync(new URL("docs/benchmarks-speed.svg", root), speedChart(results));
    lines.push(
      "## Speed",
      "",
      "fusio and its baseline run interleaved in the same process and rounds (median and min–max of the per-round rates; ratio = median ÷ the baseline's median, higher = faster). Noisy: reported, never asserted.",
      "",
      "### Summary: the default configuration against the floor",
      "",
      "What a user gets without configuring anything (each backend built as its README's first example; the remote ones with no `http` option) ÷ the floor of its group: the bare runtime primitive, or raw `undici.request()` with a native signer for S3 and Azure. DESIGN.md's budget is 0.95 or more; the ratio compares medians, the paired ratio compares the two cases round by round (steadier when the machine's speed drifts).",
      "",
      summaryTable(results),
      "",
      "![Throughput relative to the baseline](benchmarks-speed.svg)",
      "",
      ...results.map((group) => `${table(group)}\n`),
    );
  }
  if (memory.length) {
    lines.push(
      "## Peak memory",
      "",
      "Each case runs alone in a fresh Node process. Baseline RSS: the process with every library loaded, after a full GC, just before the operation; peak RSS: its high-water mark during the operation (getrusage, sampled RSS when the operation never rises above what loading reached). The budget applies to the peak above the baseline, for fusio's cases; the SDKs do the same upload, from the same stream of 1 MiB chunks, with the same part size and parts in flight.",
      "",
      ...memory.map((group) => `${memoryTable(group)}\n`),
    );
  }
  writeFileSync(new URL("docs/benchmarks.md", root), lines.join("\n"));
}
