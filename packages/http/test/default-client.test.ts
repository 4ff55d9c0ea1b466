// The default HttpClient per runtime: which file `#default-client` resolves to under each set
// of export conditions (Node's own resolver, in a child process per set), and what the default
// is here in Node. Bun and Deno check theirs in packages/bun and packages/deno; the size check
// (bench/src/size) bundles s3, azure and r2 for browsers and Workers without undici or node:.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultHttpClient, FetchHttpClient } from "@fusio/http";
import { defaultHttpClient as fromSubpath } from "@fusio/http/default-client";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The file `#default-client` resolves to in a Node started with these `--conditions`. */
function resolved(conditions: string[]): string {
  const child = spawnSync(
    process.execPath,
    [
      ...conditions.map((condition) => `--conditions=${condition}`),
      "--input-type=module",
      "-e",
      "console.log(import.meta.resolve('#default-client'))",
    ],
    { cwd: root, encoding: "utf8" },
  );
  expect(child.stderr).toBe("");
  return fileURLToPath(child.stdout.trim()).slice(root.length + 1);
}

/** Every bare module specifier reachable from `entry` through relative imports. */
function packagesReachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const match of code.matchAll(
      /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g,
    )) {
      const specifier = (match[1] ?? match[2] ?? match[3]) as string;
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

// Twelve Node processes: slow on a busy machine.
const SLOW = { timeout: 60_000 };

describe("defaultHttpClient", () => {
  it(
    "resolves to undici under `node` alone, to fetch where bun, deno, browser or Workers match too (tuned for Bun and Deno)",
    SLOW,
    () => {
      // Node always matches `node`, as Bun and Deno do too: each row is "this condition and node".
      const table = Object.fromEntries(
        ["", "bun", "deno", "browser", "workerd", "worker"].flatMap((condition) => {
          const conditions = condition ? [condition] : [];
          return [
            [condition || "node", resolved(conditions)],
            [`${condition || "node"} + source`, resolved([...conditions, "source"])],
          ];
        }),
      );
      const fetch = { dist: "dist/default-client-fetch.js", source: "src/default-client-fetch.ts" };
      expect(table).toEqual({
        node: "dist/default-client-undici.js",
        "node + source": "src/default-client-undici.ts",
        bun: "dist/default-client-bun.js",
        "bun + source": "src/default-client-bun.ts",
        deno: "dist/default-client-deno.js",
        "deno + source": "src/default-client-deno.ts",
        browser: fetch.dist,
        "browser + source": fetch.source,
        workerd: fetch.dist,
        "workerd + source": fetch.source,
        worker: fetch.dist,
        "worker + source": fetch.source,
      });
    },
  );

  it("is a new UndiciHttpClient on Node, from the index and from its own entry point", async () => {
    const first = defaultHttpClient();
    const second = fromSubpath();
    try {
      expect(first).toBeInstanceOf(UndiciHttpClient);
      expect(second).toBeInstanceOf(UndiciHttpClient);
      expect(first).not.toBe(second);
      expect(first).not.toBeInstanceOf(FetchHttpClient);
    } finally {
      await (first as UndiciHttpClient).close();
      await (second as UndiciHttpClient).close();
    }
  });

  it("only the undici files load undici; the fetch default loads neither undici nor a node: module", () => {
    const src = join(root, "src");
    expect(packagesReachable(join(src, "undici-client.ts")).has("undici")).toBe(true);
    expect(packagesReachable(join(src, "default-client-undici.ts")).has("undici")).toBe(true);
    for (const file of ["default-client-fetch.ts", "default-client-bun.ts", "default-client-deno.ts"]) {
      const fetch = [...packagesReachable(join(src, file))];
      expect(fetch.filter((name) => name === "undici" || name.startsWith("node:"))).toEqual([]);
    }
    const index = [...packagesReachable(join(src, "index.ts"))];
    expect(index.filter((name) => name === "undici" || name.startsWith("node:"))).toEqual([]);
  });

  it("the undici and default-client entry points expose what they document", async () => {
    expect(Object.keys(await import("@fusio/http/undici-client"))).toEqual(["UndiciHttpClient"]);
    expect(Object.keys(await import("@fusio/http/default-client"))).toEqual(["defaultHttpClient"]);
  });
});
