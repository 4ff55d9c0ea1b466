// pnpm bench: the bundle-size jobs (measured, then each run once against real servers to prove
// it does the job), then every speed group; prints the tables, writes bench/results/latest.json
// and docs/benchmarks.md. Each backend adds its speed groups to GROUPS (run here, in Node) or to
// RUNTIME_GROUPS (run inside Bun or Deno), and peak-memory groups to MEMORY_GROUPS.
// `pnpm bench size node browser bun deno memory` runs only the named parts.
import { azureGroups, azureMemoryGroups } from "./azure.ts";
import { type BenchGroup, type GroupResult, machine, runGroup, table } from "./harness.ts";
import { manifestGroups } from "./manifest.ts";
import { memoryGroups } from "./memory.ts";
import { nodeDiskGroups } from "./node-disk.ts";
import { opfsGroups } from "./opfs.ts";
import { parquetGroups } from "./parquet.ts";
import { type MemoryGroup, type MemoryGroupResult, memoryTable, runMemoryGroup } from "./peak-memory.ts";
import { r2BindingGroups } from "./r2-binding.ts";
import { type SizeSection, toolVersions, writeReport } from "./report.ts";
import { type RuntimeGroups, runInRuntime } from "./runtimes.ts";
import { s3Groups, s3MemoryGroups } from "./s3.ts";
import { discoverJobs } from "./size/catalog.ts";
import { countLoadedLazyChunks, measureSizes } from "./size/measure.ts";
import { proveJobs } from "./size/prove.ts";
import { sizeTables } from "./size/report.ts";
import { unstorageGroups } from "./unstorage.ts";

const GROUPS: Array<() => Promise<BenchGroup[]>> = [
  memoryGroups,
  nodeDiskGroups,
  parquetGroups,
  unstorageGroups,
  azureGroups,
  r2BindingGroups,
  s3Groups,
  manifestGroups,
];
const RUNTIME_GROUPS: RuntimeGroups[] = [
  { runtime: "bun", module: "bun.ts", name: "bunGroups" },
  { runtime: "deno", module: "deno.ts", name: "denoGroups" },
];
/** Groups timed inside headless Chromium (launched through Playwright), results in the harness's shape. */
const BROWSER_GROUPS: Array<() => Promise<GroupResult[]>> = [opfsGroups];
/** Peak-memory groups (e.g. a 1 GiB upload per backend), each case in its own process. */
const MEMORY_GROUPS: Array<() => Promise<MemoryGroup[]>> = [s3MemoryGroups, azureMemoryGroups];
const only = process.argv.slice(2);
const selected = (part: string) => only.length === 0 || only.includes(part);

let size: SizeSection | undefined;
if (selected("size")) {
  const jobs = discoverJobs();
  const rows = await measureSizes(jobs);
  const { proofs, servers } = await proveJobs(jobs);
  countLoadedLazyChunks(rows, proofs);
  size = { rows, proofs, servers };
  console.log(`${sizeTables(rows, proofs, servers)}\n`);
}

const results: GroupResult[] = [];
for (const load of selected("node") ? GROUPS : []) {
  for (const group of await load()) {
    const result = await runGroup(group);
    console.log(`${table(result)}\n`);
    results.push(result);
  }
}
for (const load of selected("browser") ? BROWSER_GROUPS : []) {
  for (const result of await load()) {
    console.log(`${table(result)}\n`);
    results.push(result);
  }
}
for (const entry of RUNTIME_GROUPS.filter((entry) => selected(entry.runtime))) {
  // The child prints its own tables as it goes.
  results.push(...runInRuntime(entry));
}
const memory: MemoryGroupResult[] = [];
for (const load of selected("memory") ? MEMORY_GROUPS : []) {
  for (const group of await load()) {
    try {
      const result = runMemoryGroup(group);
      console.log(`${memoryTable(result)}\n`);
      memory.push(result);
    } finally {
      await group.teardown?.();
    }
  }
}
writeReport({ ...machine(), ...toolVersions() }, size, results, { keepPrevious: only.length > 0, memory });
// A peer that did not do its job makes the size comparison dishonest: say so and fail.
const failedProofs = size?.proofs.filter((proof) => !proof.ok && !proof.status.startsWith("not run")) ?? [];
for (const proof of failedProofs) console.error(`size job ${proof.id} did not do the job: ${proof.status}`);
if (failedProofs.length) process.exitCode = 1;
