// Each module's own entry point (`@fusio/core/errors`, ...) is the module the index re-exports:
// the same bindings, so a FusioError or Path from either is one class.
import { readFileSync } from "node:fs";
import * as core from "@fusio/core";
import * as call from "@fusio/core/call";
import * as dispose from "@fusio/core/dispose";
import * as errors from "@fusio/core/errors";
import * as fs from "@fusio/core/fs";
import * as options from "@fusio/core/options";
import * as path from "@fusio/core/path";
import * as signal from "@fusio/core/signal";
import * as validate from "@fusio/core/validate";
import { describe, expect, it } from "vitest";

describe("entry points", () => {
  it("every module entry point exposes the index's bindings, and together they are all of it", () => {
    const modules = { call, errors, fs, options, path, signal, validate };
    const seen = new Set<string>();
    for (const [name, module] of Object.entries(modules)) {
      for (const [key, value] of Object.entries(module)) {
        expect([name, key, value]).toEqual([name, key, (core as Record<string, unknown>)[key]]);
        seen.add(key);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(core).sort());
    expect(Object.keys(dispose)).toEqual([]);
    expect(typeof Symbol.asyncDispose).toBe("symbol");
  });

  it("package.json names each entry point with its source, types and build output", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      exports: Record<string, unknown>;
    };
    for (const name of ["call", "errors", "fs", "options", "path", "signal", "validate", "dispose"]) {
      expect(manifest.exports[`./${name}`]).toEqual({
        source: `./src/${name}.ts`,
        types: `./dist/${name}.d.ts`,
        default: `./dist/${name}.js`,
      });
    }
  });
});
