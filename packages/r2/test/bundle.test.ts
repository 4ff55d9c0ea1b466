import { describe, expect, it } from "vitest";
import { bundleForWorkers } from "./__fixtures__/bundle.ts";

describe("the Workers bundle of @fusio/r2", () => {
  it("has no node: imports, no undici, and holds only @fusio/core and @fusio/r2", async () => {
    const { metafile, code } = await bundleForWorkers(new URL("../src/index.ts", import.meta.url), { minify: true });
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    expect(imports.filter((path) => path.startsWith("node:"))).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((path) => /undici|node_modules/.test(path))).toEqual([]);
    expect(inputs.filter((path) => !/packages\/(core|r2)\/src\//.test(path))).toEqual([]);
    expect(inputs.some((path) => path.includes("packages/r2/src/r2-binding-fs.ts"))).toBe(true);
    expect(code.includes("undici")).toBe(false);
  });

  it("@fusio/r2/s3 bundles for Workers too: the portable signer, no node: imports, no undici", async () => {
    const { metafile, code } = await bundleForWorkers(new URL("../src/s3.ts", import.meta.url), { minify: true });
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map((entry) => entry.path));
    expect(imports.filter((path) => path.startsWith("node:"))).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((path) => path.includes("undici"))).toEqual([]);
    expect(inputs.some((path) => path.includes("packages/s3/src/sign-portable.ts"))).toBe(true);
    expect(inputs.some((path) => path.includes("packages/s3/src/sign-node.ts"))).toBe(false);
    expect(code.includes("undici")).toBe(false);
  });
});
