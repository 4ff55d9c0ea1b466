import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { GroupResult } from "../src/harness.ts";
import { speedChart, writeReport } from "../src/report.ts";
import type { SizeCell, SizeRow } from "../src/size/measure.ts";
import { sizeChart, sizeTables } from "../src/size/report.ts";

const cell = (
  gzip: number,
  builtins: string[] = [],
  lazy: SizeCell["lazy"] = { chunks: 0, minified: 0, gzip: 0 },
): SizeCell => ({
  minified: gzip * 3,
  gzip,
  lazy,
  builtins,
  undici: false,
  largest: [],
  files: [{ name: "packages/s3/src/s3-fs.ts", bytes: 4000 }],
});

const row = (name: string, gzip: number, extra: Partial<SizeRow> = {}): SizeRow => ({
  id: `s3/${name}`,
  kind: "s3",
  label: name,
  versions: "",
  isFusio: false,
  isFloor: false,
  bundles: { node: cell(gzip), browser: cell(gzip) },
  ...extra,
});

const rows: SizeRow[] = [
  row("fusio", 5000, {
    isFusio: true,
    ratioToFloor: 1.5,
    bundles: { node: cell(5000, [], { chunks: 2, minified: 9000, gzip: 3210 }), browser: cell(5000) },
  }),
  row("<sdk>", 150_000, {
    ratioToFloor: 45,
    bundles: { node: cell(150_000), browser: cell(140_000, ["node:fs"]) },
  }),
  row("broken", 0, { bundles: { node: cell(9000), browser: { error: "no browser build" } }, ratioToFloor: 2.7 }),
  row("floor", 3333, { isFloor: true, ratioToFloor: 1 }),
];

/** A speed result row; fields the harness may add later (e.g. a paired ratio) follow the ratio. */
const caseResult = (row: { name: string; median: number; min: number; max: number; ratio: number }) =>
  ({ ...row, pairedRatio: row.ratio, cpuPerOp: 1, cpuRatio: row.ratio }) as GroupResult["results"][number];

describe("size report", () => {
  const text = sizeTables(
    rows,
    [
      { id: "s3/fusio", ok: true, status: "proven" },
      { id: "s3/broken", ok: false, status: "read the wrong bytes" },
    ],
    { s3: "Ceph RGW" },
  );

  it("has a row per job with KB, ratios to the floor and to fusio, and the proof", () => {
    expect(text).toContain("| **fusio** | 15.0 | 5.00 | 15.0 | 5.00 | 3.21 in 2 | 1.50× | 1.00× | yes |");
    expect(text).toContain("| <sdk> | 450.0 | 150.0 | 420.0 | 140.0† | — | 45.0× | 30.0× | not run |");
    expect(text).toContain("Proven against: Ceph RGW.");
    expect(text).toContain("| **no**: read the wrong bytes |");
  });

  it("states what `pnpm check` enforces: the ceiling, and the SDK promise where the SDK's row is there", () => {
    expect(text).toContain("`pnpm check` holds fusio's job (`@fusio/s3`) to at most 15.5 KB gz on every platform.");
    const withSdk = [...rows, row("aws-sdk", 170_000, { label: "AWS SDK v3 + lib-storage", ratioToFloor: 51 })];
    expect(sizeTables(withSdk, [], {})).toContain(
      "`pnpm check` holds fusio's job (`@fusio/s3`) to at most 15.5 KB gz on every platform and, on node, at least 13× smaller than AWS SDK v3 + lib-storage.",
    );
  });

  it("prints no budget, no distance to one and no reference row's share of one", () => {
    const heavy = rows.map((entry) =>
      entry.isFusio ? { ...entry, bundles: { node: cell(50_000), browser: cell(70_000) } } : entry,
    );
    for (const report of [text, sizeTables(heavy, [], {})]) {
      expect(report).not.toMatch(/budget/i);
      expect(report).not.toContain("reference row");
    }
  });

  it("names the missing server once, under the table", () => {
    const missing = sizeTables(rows, [{ id: "s3/fusio", ok: false, status: "not run: no S3 server here" }], {});
    expect(missing).toContain("| 1.50× | 1.00× | not run |");
    expect(missing).toContain("Proven against: nothing — no S3 server here.");
  });

  it("explains browser bundles that are not really browser bundles", () => {
    expect(text).toContain("† <sdk> (browser): imports Node built-ins (node:fs)");
    expect(text).toContain("¹ broken (browser): does not bundle — no browser build");
  });

  it("lists what is in fusio's bundles", () => {
    expect(text).toContain("`packages/s3/src/s3-fs.ts` 4000");
  });

  it("draws one bar per measured job and escapes labels", () => {
    const svg = sizeChart(rows);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<rect x="290"/g)).toHaveLength(rows.length);
    expect(svg).toContain("&lt;sdk&gt;");
    expect(svg).not.toContain("<sdk>");
  });
});

describe("speed chart", () => {
  it("draws a bar per case and the 1.0 line", () => {
    const groups: GroupResult[] = [
      {
        title: "reads",
        baseline: "bare",
        unit: "ops/s",
        rounds: 3,
        results: [
          caseResult({ name: "bare", median: 10, min: 9, max: 11, ratio: 1 }),
          caseResult({ name: "NodeFs readExactAt", median: 9.8, min: 9, max: 10, ratio: 0.98 }),
          caseResult({ name: "Deno.FsFile read", median: 5, min: 4, max: 6, ratio: 0.5 }),
        ],
      },
    ];
    const svg = speedChart(groups);
    expect(svg.match(/<rect x="360"/g)).toHaveLength(3);
    expect(svg.match(/fill="#d9480f"/g)).toHaveLength(1);
    expect(svg).toContain(">0.980<");
    expect(svg).toContain('stroke-dasharray="4 3"');
  });
});

describe("writeReport", () => {
  const group = (title: string, ratio: number): GroupResult => ({
    title,
    baseline: "bare",
    unit: "ops/s",
    rounds: 1,
    results: [caseResult({ name: "bare", median: 1, min: 1, max: 1, ratio })],
  });

  it("writes the JSON, the Markdown and the charts; a partial run keeps the other parts", () => {
    const root = pathToFileURL(`${mkdtempSync(join(tmpdir(), "fusio-report-"))}/`);
    try {
      const size = { rows, proofs: [], servers: {} };
      const memory = [
        {
          title: "upload",
          rounds: 1,
          results: [
            { name: "S3Fs", peakRss: 100 * 2 ** 20, growth: 50 * 2 ** 20, baselineRss: 50 * 2 ** 20, seconds: 2 },
          ],
        },
      ];
      writeReport({ node: "v20" }, size, [group("a", 1), group("b", 1)], { root, memory });
      writeReport({ node: "v20" }, undefined, [group("b", 2)], { root, keepPrevious: true });
      const latest = JSON.parse(readFileSync(new URL("bench/results/latest.json", root), "utf8"));
      expect(latest.size.rows).toHaveLength(rows.length);
      expect(latest.results.map((result: GroupResult) => [result.title, result.results[0]?.ratio])).toEqual([
        ["a", 1],
        ["b", 2],
      ]);
      expect(latest.memory[0].title).toBe("upload");
      const markdown = readFileSync(new URL("docs/benchmarks.md", root), "utf8");
      for (const heading of ["## Bundle size", "## Speed", "## Peak memory", "- node: v20"])
        expect(markdown).toContain(heading);
      expect(readFileSync(new URL("docs/benchmarks-size.svg", root), "utf8")).toContain("<svg");
      expect(readFileSync(new URL("docs/benchmarks-speed.svg", root), "utf8")).toContain("<svg");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("leads the speed section with the default configuration against the floor", () => {
    const root = pathToFileURL(`${mkdtempSync(join(tmpdir(), "fusio-report-"))}/`);
    try {
      const headline = { defaultCase: "S3Fs default", floor: "floor", ratio: 0.97, pairedRatio: 0.96 };
      writeReport({ node: "v20" }, undefined, [group("plain", 1), { ...group("remote", 1), headline }], { root });
      const markdown = readFileSync(new URL("docs/benchmarks.md", root), "utf8");
      const speed = markdown.slice(markdown.indexOf("## Speed"));
      expect(speed.indexOf("### Summary")).toBeLessThan(speed.indexOf("### plain"));
      expect(speed).toContain("| remote | S3Fs default | floor | 0.970 | 0.960 |");
      expect(speed).not.toContain("| plain |");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
