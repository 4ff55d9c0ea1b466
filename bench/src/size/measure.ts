// Bundles every job for its kind's platforms and reports bytes, ratios to the floor, and
// whether a browser bundle is really one (no Node built-ins, no undici).
import { type BundleTarget, bundle } from "./bundle.ts";
import { type JobEntry, type JobKind, KINDS, type Platform } from "./catalog.ts";

export interface SizeCell {
  minified: number;
  gzip: number;
  /** Runtime built-ins the bundle imports. */
  builtins: string[];
  undici: boolean;
  /** The packages that make up most of the minified bytes, largest first (top 3). */
  largest: Array<{ name: string; bytes: number }>;
  /** fusio jobs: the files that make up the minified bytes, largest first. */
  files?: Array<{ name: string; bytes: number }>;
}

export interface SizeRow {
  id: string;
  kind: JobKind;
  label: string;
  versions: string;
  isFusio: boolean;
  isFloor: boolean;
  /** Per platform: the bundle, or why there is none. */
  bundles: Partial<Record<Platform, SizeCell | { error: string }>>;
  /** Node-platform gzip bytes / the floor's (the browser's where a kind has no node). */
  ratioToFloor?: number;
  /** Budget in gzip bytes (fusio jobs). */
  budgetGzip?: number;
}

export const isCell = (value: SizeCell | { error: string } | undefined): value is SizeCell =>
  value !== undefined && "gzip" in value;

export async function measureJob(job: JobEntry, target: BundleTarget): Promise<SizeCell | { error: string }> {
  try {
    const result = await bundle(job.file, target);
    return {
      minified: result.minified,
      gzip: result.gzip,
      builtins: result.builtins,
      undici: result.undici,
      largest: largestFirst(result.packages).slice(0, 3),
      ...(job.isFusio ? { files: largestFirst(result.files).filter((file) => file.bytes > 0) } : {}),
    };
  } catch (error) {
    const first =
      String(error)
        .split("\n")
        .find((line) => line.includes("ERROR")) ?? String(error).split("\n")[0];
    return {
      error: (first ?? "")
        .replace(/^.*ERROR: /, "")
        .replace(/"[^"]*node_modules\/([^"]*)"/g, '"$1"')
        .slice(0, 200),
    };
  }
}

function largestFirst(bytes: Record<string, number>): Array<{ name: string; bytes: number }> {
  return Object.entries(bytes)
    .map(([name, count]) => ({ name, bytes: count }))
    .sort((a, b) => b.bytes - a.bytes);
}

export async function measureSizes(jobs: JobEntry[]): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const job of jobs) {
    const bundles: SizeRow["bundles"] = {};
    for (const platform of KINDS[job.kind].platforms) bundles[platform] = await measureJob(job, platform);
    rows.push({
      id: job.id,
      kind: job.kind,
      label: job.label,
      versions: job.versions,
      isFusio: job.isFusio,
      isFloor: job.isFloor,
      bundles,
      ...(job.isFusio ? { budgetGzip: KINDS[job.kind].fusio.budgetGzip } : {}),
    });
  }
  for (const row of rows) {
    const floor = rows.find((other) => other.kind === row.kind && other.isFloor);
    const platform = KINDS[row.kind].platforms[0] as Platform;
    const mine = row.bundles[platform];
    const base = floor?.bundles[platform];
    if (isCell(mine) && isCell(base)) row.ratioToFloor = mine.gzip / base.gzip;
  }
  return rows;
}
