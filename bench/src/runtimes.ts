// Runs benchmark groups inside Bun or Deno: `pnpm bench` (Node) spawns the runtime from the
// bench package's devDependencies on run-groups.ts, which runs the groups with the same harness
// and writes the results to a JSON file. Groups of one runtime thus compare its backend with
// its own bare APIs, interleaved in one process, like the Node groups.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GroupResult } from "./harness.ts";

/** Groups that run inside another runtime: `module` (relative to bench/src) exports `name`. */
export interface RuntimeGroups {
  runtime: "bun" | "deno";
  module: string;
  name: string;
}

const here = new URL(".", import.meta.url).pathname;
const bin = new URL("../node_modules/.bin/", import.meta.url).pathname;

function command(runtime: RuntimeGroups["runtime"]): string[] {
  return runtime === "bun"
    ? [join(bin, "bun"), "--conditions=source"]
    : [join(bin, "deno"), "run", "--allow-all", "--conditions", "source"];
}

/** Runs one runtime's groups in a child process and returns their results. */
export function runInRuntime(entry: RuntimeGroups): GroupResult[] {
  const dir = mkdtempSync(join(tmpdir(), "fusio-bench-"));
  try {
    const out = join(dir, "results.json");
    const [program, ...args] = command(entry.runtime);
    const result = spawnSync(
      program as string,
      [...args, join(here, "run-groups.ts"), join(here, entry.module), entry.name, out],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (result.status !== 0) throw new Error(`${entry.runtime} bench ${entry.module} exited with ${result.status}`);
    return JSON.parse(readFileSync(out, "utf8")) as GroupResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
