// The child side of runtimes.ts: `<runtime> run-groups.ts <module> <export> <out.json>` runs the
// groups that `<module>` exports as `<export>` with the shared harness, prints each table, and
// writes the results, their titles prefixed with the runtime and its version.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type BenchGroup, type GroupResult, runGroup, table } from "./harness.ts";

const [module, name, out] = process.argv.slice(2) as [string, string, string];
const load = (await import(pathToFileURL(module).href))[name] as () => Promise<BenchGroup[]>;
const versions = process.versions as Record<string, string | undefined>;
const runtime =
  versions.bun !== undefined
    ? `Bun ${versions.bun}`
    : "Deno" in globalThis
      ? `Deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
      : `Node ${process.version}`;
// BENCH_GROUP=<text> runs only the groups whose title contains it (while developing).
const only = process.env.BENCH_GROUP;
const results: GroupResult[] = [];
for (const group of await load()) {
  if (only !== undefined && !group.title.includes(only)) continue;
  const result = await runGroup({ ...group, title: `${runtime}: ${group.title}` });
  console.log(`${table(result)}\n`);
  results.push(result);
}
writeFileSync(out, JSON.stringify(results));
