// OPFS in headless Chromium (Debian's package, driven by Playwright): 4 KiB random reads and
// sequential writes, a dedicated worker's sync access handle against the main thread's file
// slices and writable streams, each through OpfsFs next to the bare OPFS call. The cases run and
// are timed inside the browser (opfs-browser/); Node only orders the rounds as the harness does.
// A browser has no CPU clock for a page, so the CPU columns are empty (NaN).

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright";
import { caseOrder, type GroupResult, summarize } from "./harness.ts";
import { OPFS_GROUPS } from "./opfs-browser/protocol.ts";

const OPS = 2000;
const ROUNDS = 5;
const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium";

/** page.js and worker.js for the browser: esbuild, workspace packages from source. */
async function bundles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of ["page", "worker"]) {
    const result = await build({
      entryPoints: [new URL(`./opfs-browser/${name}.ts`, import.meta.url).pathname],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["source"],
      write: false,
      outfile: `${name}.js`,
      logLevel: "silent",
    });
    files[`/${name}.js`] = result.outputFiles[0]?.text ?? "";
  }
  files["/"] = '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>';
  return files;
}

/** Serves `files` on a free loopback port (a secure context: OPFS needs one). */
async function serve(files: Record<string, string>): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const body = files[request.url ?? "/"];
    if (body === undefined) return void response.writeHead(404).end();
    const type = request.url === "/" ? "text/html" : "text/javascript";
    // Cross-origin isolated, so performance.now() has 5 µs precision instead of 100 µs.
    response
      .writeHead(200, {
        "content-type": type,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-embedder-policy": "require-corp",
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The OPFS groups, run in Chromium; results in the harness's shape. */
export async function opfsGroups(): Promise<GroupResult[]> {
  const { server, url } = await serve(await bundles());
  // On disk, as a user's profile is: an off-the-record context keeps OPFS in memory.
  const profile = mkdtempSync(join(tmpdir(), "fusio-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForFunction(() => document.title === "ready", undefined, { timeout: 60_000 });
    const run = (name: string, ops: number): Promise<number> =>
      page.evaluate(
        ([caseName, count]) =>
          (globalThis as unknown as { opfsBench: { run(n: string, o: number): Promise<number> } }).opfsBench.run(
            caseName,
            count,
          ),
        [name, ops] as const,
      );
    const results: GroupResult[] = [];
    for (const group of OPFS_GROUPS) {
      const names = group.cases.map((entry) => entry.name);
      for (const name of names) await run(name, OPS >> 3);
      const rates = new Map<string, number[]>(names.map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const index of caseOrder(names.length, round)) {
          const name = names[index] as string;
          rates.get(name)?.push(await run(name, OPS));
        }
      }
      results.push(summarize({ title: group.title, baseline: group.baseline, unit: "ops/s", rounds: ROUNDS }, rates));
    }
    return results;
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
