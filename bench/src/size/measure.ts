// Bundles every job for its kind's platforms and reports bytes, ratios to the floor, and
// whether a browser bundle is really one (no Node built-ins, no undici).
import { type BundleTarget, bundle, type ChunkBytes } from "./bundle.ts";
import { type JobEntry, type JobKind, KINDS, type Platform } from "./catalog.ts";
import type { Proof } from "./prove.ts";

export interface SizeCell {
  /** What loads with the entry (plus, on node, the lazy chunks the job was seen loading). */
  minified: number;
  gzip: number;
  /** Chunks only `import()` reaches, and of those the ones the proof run loaded (node only). */
  lazy: ChunkBytes & { loaded?: ChunkBytes };
  /** Runtime built-ins the bundle imports. */
  builtins: string[];
  undici: boolean;
  /** The packages that make up most of the minified bytes, largest first (top 3). */
  largest: Array<{ name: string; bytes: number }>;
  /** fusio jobs: the files that make up the minified bytes, largest first. */
  files?: Array<{ name: string; bytes: number }>;
  /** fusio jobs: the files in the lazy chunks, largest first. */
  lazyFiles?: Array<{ name: string; bytes: number }>;
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
}

export const isCell = (value: SizeCell | { error: string } | undefined): value is SizeCell =>
  value !== undefined && "gzip" in value;

export async function measureJob(job: JobEntry, target: BundleTarget): Promise<SizeCell | { error: string }> {
  try {
    const result = await bundle(job.file, target);
    return {
      minified: result.minified,
      gzip: result.gzip,
      lazy: { chunks: result.lazy.chunks, minified: result.lazy.minified, gzip: result.lazy.gzip },
      builtins: result.builtins,
      undici: result.undici,
      largest: largestFirst(result.packages).slice(0, 3),
      ...(job.isFusio
        ? {
            files: largestFirst(result.files).filter((file) => file.bytes > 0),
            lazyFiles: largestFirst(result.lazy.files).filter((file) => file.bytes > 0),
          }
        : {}),
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

/**
 * A lazy chunk the job loaded while it was proven is part of the job: add it to the node cell
 * (the proof runs the node bundle), so loading on first use can't hide code the job needs.
 * Ratios to the floor are recomputed.
 */
export function countLoadedLazyChunks(rows: SizeRow[], proofs: Proof[]): void {
  for (const row of rows) {
    const loaded = proofs.find((proof) => proof.id === row.id)?.lazyLoaded;
    const node = row.bundles.node;
    if (!loaded || !isCell(node)) continue;
    node.lazy.loaded = loaded;
    node.minified += loaded.minified;
    node.gzip += loaded.gzip;
  }
  setRatios(rows);
}

function setRatios(rows: SizeRow[]): void {
  for (const row of rows) {
    const floor = rows.find((other) => other.kind === row.kind && other.isFloor);
    const platform = KINDS[row.kind].platforms[0] as Platform;
    const mine = row.bundles[platform];
    const base = floor?.bundles[platform];
    if (isCell(mine) && isCell(base)) row.ratioToFloor = mine.gzip / base.gzip;
  }
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
    });
  }
  setRatios(rows);
  return rows;
}
