import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { bundlePage } from "../src/bundle.ts";

const builtins = new Set(builtinModules);

describe("the browser page's bundle", () => {
  it("bundles @fusio/s3 with no Node built-in and no undici (esbuild's metafile)", async () => {
    const { code, metafile } = await bundlePage();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((path) => path.includes("packages/s3/src/"))).toBe(true);
    expect(inputs.some((path) => path.includes("packages/http/src/fetch-client.ts"))).toBe(true);
    expect(inputs.filter((path) => /undici|node-credentials|sign-node|undici-client/.test(path))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));
    expect(imports.filter((path) => path.startsWith("node:") || builtins.has(path.split("/")[0] ?? ""))).toEqual([]);
    expect(imports.filter((path) => path === "undici" || path.startsWith("undici/"))).toEqual([]);
    expect(code).toContain("no-store");
  });
});
