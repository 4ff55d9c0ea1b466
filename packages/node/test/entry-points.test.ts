// `@fusio/node` and the `@fusio/disk` engine under it must never load undici (167 KB gz): only
// `@fusio/http` does, under the `node` condition (packages/http/test/default-client.test.ts).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
/** The workspace package the entry points build on, followed into its sources. */
const followed: Record<string, string> = { "@fusio/disk": resolve(src, "../../disk/src/index.ts") };

/** Every bare module specifier reachable from `entry` through relative imports (and into @fusio/disk). */
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
      else if (specifier in followed) visit(followed[specifier] as string);
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe("entry points", () => {
  it("the disk entry points load node builtins and @fusio/core (and its entry points) only", () => {
    for (const entry of ["index.ts"]) {
      const packages = [...packagesReachable(join(src, entry))];
      const core = (name: string) => name === "@fusio/core" || name.startsWith("@fusio/core/");
      expect(packages.filter((name) => !name.startsWith("node:") && !core(name))).toEqual([]);
    }
  });

  it("every entry point imports and exposes what it documents", async () => {
    const main = await import("@fusio/node");
    expect(Object.keys(main).sort()).toEqual(["NodeFile", "NodeFs"]);
    const disk = await import("@fusio/disk");
    expect(Object.keys(disk).sort()).toEqual([
      "DiskFile",
      "DiskFs",
      "ERRNO_KINDS",
      "errnoCode",
      "errnoKind",
      "fromErrno",
    ]);
    expect(new main.NodeFs({ root: "/tmp/x" })).toBeInstanceOf(disk.DiskFs);
  });
});
