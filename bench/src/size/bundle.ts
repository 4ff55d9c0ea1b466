// One bundle the way a user's build makes it: esbuild, minified ESM, tree-shaken, for the node
// or browser platform (Workers use the browser platform plus the `workerd`/`worker`
// conditions), workspace packages from source (the `source` condition). Reports minified and
// `gzip -9` bytes, and what the metafile says it pulled in: runtime built-ins and undici.
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

export type BundleTarget = "node" | "browser" | "workers";

export interface BundleResult {
  /** Minified bytes. */
  minified: number;
  /** Bytes after `gzip -9` of the minified output. */
  gzip: number;
  /** Runtime built-ins the bundle imports (`node:fs`, `crypto`, ...), sorted. */
  builtins: string[];
  /** Whether any file of the `undici` package is inside the bundle. */
  undici: boolean;
  /** Input files by package: "name" -> bytes in the output. */
  packages: Record<string, number>;
  /** Bytes in the output per input file (workspace files as `packages/<name>/...`). */
  files: Record<string, number>;
  /** The minified code. */
  code: Uint8Array;
}

const builtins = new Set(builtinModules);
const isBuiltin = (path: string) => path.startsWith("node:") || builtins.has(path.split("/")[0] as string);

/**
 * On the browser platform esbuild refuses a built-in it can't map away (a package's `browser`
 * field may map it to nothing). Resolve normally first; whatever is left is kept external and
 * reported, so a bundle that needs one still measures and the check can say which.
 */
function keepBuiltinsExternal(): Plugin {
  return {
    name: "keep-builtins-external",
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, async (args) => {
        if (!isBuiltin(args.path) || args.pluginData === "again") return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "again",
        });
        if (resolved.errors.length === 0 && !resolved.external) {
          // An empty namespace is a module the package's `browser` field maps to nothing.
          return resolved.namespace === ""
            ? { path: args.path, namespace: "mapped-away" }
            : { path: resolved.path, namespace: resolved.namespace, sideEffects: resolved.sideEffects };
        }
        return { path: args.path, external: true };
      });
      plugin.onLoad({ filter: /.*/, namespace: "mapped-away" }, () => ({ contents: "" }));
    },
  };
}

/** Bundles `entry` (a file path) for `target`. Throws esbuild's error when it can't be bundled. */
export async function bundle(entry: string, target: BundleTarget): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: target === "node" ? "node" : "browser",
    conditions: target === "workers" ? ["workerd", "worker", "source", "module"] : ["source", "module"],
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
    plugins: target === "node" ? [] : [keepBuiltinsExternal()],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild wrote nothing for ${entry}`);
  const found = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && isBuiltin(imported.path)) found.add(imported.path);
    }
  }
  const packages: Record<string, number> = {};
  const files: Record<string, number> = {};
  let undici = false;
  for (const meta of Object.values(result.metafile.outputs)) {
    for (const [path, input] of Object.entries(meta.inputs)) {
      const name = packageOf(path);
      if (name === "undici") undici = true;
      packages[name] = (packages[name] ?? 0) + input.bytesInOutput;
      const short = path.includes("node_modules/")
        ? `${name}/${path.slice(path.lastIndexOf(name) + name.length + 1)}`
        : path.replace(/^(\.\.\/)+/, "");
      files[short] = (files[short] ?? 0) + input.bytesInOutput;
    }
  }
  return {
    minified: output.contents.byteLength,
    gzip: gzipSync(output.contents, { level: 9 }).byteLength,
    builtins: [...found].sort(),
    undici,
    packages,
    files,
    code: output.contents,
  };
}

/** The npm package an input path belongs to ("(own code)" outside node_modules). */
function packageOf(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) {
    const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(path);
    return workspace ? `@fusio/${workspace[1]}` : "(own code)";
  }
  const rest = path.slice(at + "node_modules/".length).split("/");
  return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
}
