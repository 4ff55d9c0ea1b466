import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundle } from "../src/size/bundle.ts";

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url).pathname;

describe("bundle", () => {
  it("reports minified and gzip -9 bytes of the real output", async () => {
    const result = await bundle(fixture("pure.ts"), "browser");
    expect(result.minified).toBe(result.code.byteLength);
    expect(result.gzip).toBeGreaterThan(0);
    expect(result.builtins).toEqual([]);
    expect(result.undici).toBe(false);
    const module = (await import(`data:text/javascript;base64,${Buffer.from(result.code).toString("base64")}`)) as {
      default: (text: string) => Uint8Array;
    };
    expect(new TextDecoder().decode(module.default("ab"))).toBe("ababab");
  });

  it("the gzip count is of the minified code", async () => {
    const result = await bundle(fixture("uses-node.ts"), "node");
    expect(gunzipSync(gzipSync(result.code, { level: 9 })).byteLength).toBe(result.minified);
    expect(gzipSync(result.code, { level: 9 }).byteLength).toBe(result.gzip);
  });

  it("names the Node built-ins a browser or Workers bundle imports", async () => {
    expect((await bundle(fixture("uses-node.ts"), "browser")).builtins).toEqual(["node:fs/promises"]);
    expect((await bundle(fixture("uses-node.ts"), "workers")).builtins).toEqual(["node:fs/promises"]);
    expect((await bundle(fixture("uses-node.ts"), "node")).builtins).toEqual(["node:fs/promises"]);
  });

  it("sees undici in the metafile, and leaves it external on node like Node's built-ins", async () => {
    const result = await bundle(fixture("uses-undici.ts"), "node");
    expect(result.undici).toBe(true);
    expect(result.packages.undici).toBeUndefined();
    expect(Object.keys(result.files).some((file) => file.startsWith("undici/"))).toBe(false);
    expect(Object.keys(result.files)).toContain("bench/test/__fixtures__/uses-undici.ts");
  });

  it("bundles for browsers a package whose dependencies map built-ins to nothing", async () => {
    // minio's dependency readable-stream maps `util` to false for browsers (esbuild would refuse
    // the bare built-in otherwise); minio's own Node imports stay reported.
    const result = await bundle(new URL("../src/size/jobs/s3/minio.ts", import.meta.url).pathname, "browser");
    expect(result.builtins).toEqual(expect.arrayContaining(["http", "node:fs"]));
    expect(result.minified).toBeGreaterThan(100_000);
  });

  it("counts what loads with the entry apart from the chunks only import() reaches", async () => {
    const result = await bundle(fixture("lazy.ts"), "node");
    expect(result.lazy.chunks).toBe(1);
    expect(Object.keys(result.lazy.files)).toEqual(["bench/test/__fixtures__/lazy-part.ts"]);
    expect(Object.keys(result.files)).toEqual(["bench/test/__fixtures__/lazy.ts"]);
    expect(result.minified).toBe(result.code.byteLength);
    expect(result.lazy.gzip).toBeGreaterThan(0);
    const whole = await bundle(fixture("pure.ts"), "node");
    expect(whole.lazy).toEqual({ chunks: 0, minified: 0, gzip: 0, files: {} });
  });
});
