// What `pnpm check` enforces (DESIGN.md, "Budgets"): each fusio job bundle within its gzip ceiling
// on every platform it is measured for — what loads with the job's entry; bench/test/jobs.test.ts
// proves the local and Azure jobs load no lazy chunk on top, and `pnpm bench` counts any that a
// job does load — and, on node, at least `SDK_RATIO` times smaller than the official SDK's bundle
// of the same job. Also whole-package browser/Workers bundles of @fusio/s3, @fusio/azure and
// @fusio/r2 free of Node built-ins and undici. Packages not in this checkout are reported as
// pending, never passed silently; a package that is here without its size job fails.
import { readFileSync } from "node:fs";
import { type BundleTarget, bundle } from "./bundle.ts";
import {
  discoverJobs,
  type JobEntry,
  type JobKind,
  KINDS,
  type KindInfo,
  SDK_RATIO,
  workspacePackage,
} from "./catalog.ts";
import { isCell, measureJob } from "./measure.ts";

export interface Finding {
  ok: boolean;
  /** false for "pending" notes that neither pass nor fail anything. */
  checked: boolean;
  message: string;
}

/** Packages whose main entry must bundle for browsers and Workers without Node or undici. */
export const PORTABLE_PACKAGES: string[] = ["@fusio/s3", "@fusio/azure", "@fusio/r2"];

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} KB`;

/** What the check looks at; the defaults are this checkout's. Tests pass their own. */
export interface SizeCheckOptions {
  jobs?: JobEntry[];
  kinds?: Partial<Record<JobKind, KindInfo>>;
  /** The directory of a workspace package, or undefined when it isn't here. */
  findPackage?: (packageName: string) => URL | undefined;
  portablePackages?: string[];
}

async function checkJobCeilings(options: SizeCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const jobs = options.jobs ?? discoverJobs();
  const kinds = options.kinds ?? KINDS;
  const findPackage = options.findPackage ?? workspacePackage;
  for (const [kind, info] of Object.entries(kinds) as Array<[JobKind, KindInfo]>) {
    const { packageName, ceilingGzip } = info.fusio;
    const job = jobs.find((entry) => entry.kind === kind && entry.isFusio);
    if (!job) {
      findings.push(
        findPackage(packageName)
          ? {
              ok: false,
              checked: true,
              message: `${packageName} is here but has no size job: add bench/src/size/jobs/${kind}/fusio.ts`,
            }
          : {
              ok: true,
              checked: false,
              message: `pending: ${packageName} is not in this checkout, its ${kind} job (ceiling ${kb(ceilingGzip)} gz) is not checked`,
            },
      );
      continue;
    }
    for (const platform of info.platforms) {
      const cell = await measureJob(job, platform);
      if (!isCell(cell)) {
        findings.push({ ok: false, checked: true, message: `${job.id} (${platform}) does not bundle: ${cell.error}` });
        continue;
      }
      const over = cell.gzip > ceilingGzip;
      findings.push({
        ok: !over,
        checked: true,
        message: `${job.id} (${platform}): ${kb(cell.gzip)} gz${cell.lazy.chunks ? ` (+ ${kb(cell.lazy.gzip)} gz in ${cell.lazy.chunks} lazy chunks the job does not load)` : ""}, ceiling ${kb(ceilingGzip)}${over ? " — OVER THE CEILING" : ""}`,
      });
      if (platform === "browser" && (cell.builtins.length > 0 || cell.undici)) {
        findings.push({
          ok: false,
          checked: true,
          message: `${job.id} (browser) pulls in ${describeLeaks(cell.builtins, cell.undici)}`,
        });
      }
    }
  }
  return findings;
}

/**
 * The promise: on node, the official SDK's bundle of the same job (what loads with its entry) is
 * at least `SDK_RATIO` times fusio's. Kinds whose fusio job is not here are left to the ceiling
 * check, which reports them.
 */
async function checkSdkRatios(options: SizeCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const jobs = options.jobs ?? discoverJobs();
  for (const [kind, info] of Object.entries(options.kinds ?? KINDS) as Array<[JobKind, KindInfo]>) {
    const fusio = jobs.find((entry) => entry.kind === kind && entry.isFusio);
    if (!info.sdk || !fusio) continue;
    const sdk = jobs.find((entry) => entry.kind === kind && entry.name === info.sdk);
    if (!sdk) {
      findings.push({
        ok: false,
        checked: true,
        message: `${kind}: the official SDK's job bench/src/size/jobs/${kind}/${info.sdk}.ts is missing, so the ${SDK_RATIO}× promise is not checked`,
      });
      continue;
    }
    const mine = await measureJob(fusio, "node");
    const theirs = await measureJob(sdk, "node");
    if (!isCell(mine) || !isCell(theirs)) {
      for (const [job, cell] of [
        [fusio, mine],
        [sdk, theirs],
      ] as const) {
        if (!isCell(cell))
          findings.push({ ok: false, checked: true, message: `${job.id} (node) does not bundle: ${cell.error}` });
      }
      continue;
    }
    const ratio = theirs.gzip / mine.gzip;
    const short = ratio < SDK_RATIO;
    findings.push({
      ok: !short,
      checked: true,
      message: `${kind} (node): ${sdk.label} ${kb(theirs.gzip)} gz ÷ fusio ${kb(mine.gzip)} gz = ${ratio.toFixed(2)}×, at least ${SDK_RATIO}× promised${short ? " — UNDER THE PROMISE" : ""}`,
    });
  }
  return findings;
}

function describeLeaks(builtins: string[], undici: boolean): string {
  return [...builtins, ...(undici ? ["undici"] : [])].join(", ");
}

/** The `source` entry of a package's "." export. */
function sourceEntry(dir: URL): string {
  const manifest = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as {
    exports?: Record<string, { source?: string } | string>;
  };
  const main = manifest.exports?.["."];
  const source = typeof main === "object" ? main.source : undefined;
  if (!source) throw new Error(`${dir.pathname}package.json has no "source" condition on "."`);
  return new URL(source, dir).pathname;
}

async function checkPortablePackages(options: SizeCheckOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const packageName of options.portablePackages ?? PORTABLE_PACKAGES) {
    const dir = (options.findPackage ?? workspacePackage)(packageName);
    if (!dir) {
      findings.push({
        ok: true,
        checked: false,
        message: `pending: ${packageName} is not in this checkout, its browser/Workers bundle is not checked`,
      });
      continue;
    }
    for (const target of ["browser", "workers"] satisfies BundleTarget[]) {
      try {
        const result = await bundle(sourceEntry(dir), target);
        const leaks = result.builtins.length > 0 || result.undici;
        findings.push({
          ok: !leaks,
          checked: true,
          message: `${packageName} (${target}, whole package): ${leaks ? `pulls in ${describeLeaks(result.builtins, result.undici)}` : `no node: modules, no undici in any chunk (${kb(result.gzip)} gz at load${result.lazy.chunks ? `, ${kb(result.lazy.gzip)} lazy` : ""})`}`,
        });
      } catch (error) {
        findings.push({
          ok: false,
          checked: true,
          message: `${packageName} (${target}) does not bundle: ${String(error).split("\n").slice(0, 2).join(" ")}`,
        });
      }
    }
  }
  return findings;
}

export async function checkSizes(options: SizeCheckOptions = {}): Promise<Finding[]> {
  return [
    ...(await checkJobCeilings(options)),
    ...(await checkSdkRatios(options)),
    ...(await checkPortablePackages(options)),
  ];
}
