// One bundle the way a user's build makes it: esbuild, minified ESM, tree-shaken, code-split,
// for the node or browser platform (Workers use the browser platform plus the `workerd`/`worker`
// conditions), workspace packages from source (the `source` condition). Counts what loads with
// the entry (the entry chunk and every chunk it imports statically) apart from the chunks only a
// dynamic `import()` reaches, minified and `gzip -9` per chunk, and reports what the metafile
// says the whole bundle pulled in: runtime built-ins and undici.
import { builtinModules } from "node:module";
import { basename, dirname, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Plugin } from "esbuild";

export type BundleTarget = "node" | "browser" | "workers";

/** Bytes of a set of chunks: minified, and the sum of each chunk's `gzip -9` (each is its own download). */
export interface ChunkBytes {
  chunks: number;
  minified: number;
  gzip: number;
}

export interface BundleResult {
  /** Minified bytes that load with the entry: the entry chunk and the chunks it imports statically. */
  minified: number;
  /** The same chunks after `gzip -9`, summed. */
  gzip: number;
  /** Chunks only a dynamic `import()` reaches: loaded when code needs them, if ever. */
  lazy: ChunkBytes & { files: Record<string, number> };
  /** Runtime built-ins the bundle imports (`node:fs`, `crypto`, ...), sorted. */
  builtins: string[];
  /** Whether the bundle reaches the `undici` package: bundled in, or (on node) left external. */
  undici: boolean;
  /** Input files by package: "name" -> bytes in the output (every chunk). */
  packages: Record<string, number>;
  /** Bytes per input file in the chunks that load with the entry (workspace files as `packages/<name>/...`). */
  files: Record<string, number>;
  /** The minified code of the entry chunk. */
  code: Uint8Array;
}

interface Meta {
  outputs: Record<string, { entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

/**
 * The output files that load with the entry: the entry chunk and, transitively, every chunk it
 * imports with a static `import` (esbuild's shared chunks). The rest are reached only through
 * a dynamic `import()`. Output paths as the metafile names them.
 */
export function staticClosure(metafile: Meta, entryPoint: string): Set<string> {
  // Every `import()` target is an entry point of its own in a code-split build: pick the job's.
  const wanted = resolve(entryPoint);
  const entry = Object.entries(metafile.outputs).find(
    ([path, output]) =>
      output.entryPoint !== undefined && resolve(output.entryPoint) === wanted && path.endsWith(".js"),
  );
  if (!entry) throw new Error(`esbuild's metafile names no chunk for ${entryPoint}`);
  const seen = new Set<string>([entry[0]]);
  const queue = [entry[0]];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.external || imported.kind !== "import-statement" || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

/**
 * Left out of node bundles, like `node:` built-ins: undici is Node's own HTTP client (Node's
 * fetch is undici inside), which `@fusio/http` installs as a dependency and loads only under the
 * `node` condition; nobody bundles it into a Node program. Browser and Workers bundles must not
 * reach it at all (the check says so).
 */
export const NODE_EXTERNAL: readonly string[] = ["undici"];

/** The esbuild options every size bundle shares (the proof builds the same way, plus a banner). */
export function buildOptions(entry: string, target: BundleTarget, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    outdir,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: target === "node" ? "node" : "browser",
    external: target === "node" ? [...NODE_EXTERNAL] : [],
    conditions: target === "workers" ? ["workerd", "worker", "source", "module"] : ["source", "module"],
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    metafile: true,
    logLevel: "silent",
    plugins: [lazyChunksAfterEntry(entry), ...(target === "node" ? [] : [keepBuiltinsExternal()])],
  };
}

/** The namespace of {@link lazyChunksAfterEntry}'s wrappers, which hold no code of their own. */
const AFTER_ENTRY = "after-entry";

/**
 * Chunks the way Rollup (and so Vite) does, and the way an application loads them: a module that
 * the entry loads statically is already in memory when one of its lazy `import()`s runs, so it
 * belongs with the entry. esbuild instead moves every module shared by the entry and a lazy
 * chunk into a separate shared chunk, and a package with a few lazy features then loads as four
 * to six chunks, each gzipped on its own. The hint: each `import()` target is loaded through a
 * small module that first imports the entry, so esbuild sees the entry's modules as shared by
 * all chunks and keeps them in one. Code only a lazy chunk reaches stays in that chunk. Applied to
 * workspace code only: peers are measured as esbuild chunks them.
 */
function lazyChunksAfterEntry(entry: string): Plugin {
  const namespace = AFTER_ENTRY;
  return {
    name: "lazy-chunks-after-entry",
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, async (args) => {
        // The entry's own `import()`s need no hint: the entry chunk is loaded by definition.
        const fromEntry = resolve(args.importer) === resolve(entry);
        if (args.kind !== "dynamic-import" || args.pluginData === "again" || fromEntry) return undefined;
        const resolved = await plugin.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "again",
        });
        // Workspace code only (fusio's packages, from source): peers are bundled as esbuild does.
        const ours = resolved.namespace === "file" && !resolved.path.includes("/node_modules/");
        if (resolved.errors.length > 0 || resolved.external || !ours) return undefined;
        return { path: resolved.path, namespace };
      });
      plugin.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `import ${JSON.stringify(resolve(entry))};\nexport * from ${JSON.stringify(args.path)};\n`,
        resolveDir: dirname(args.path),
        loader: "js",
      }));
    },
  };
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
  const outdir = "/size-bundle";
  const result = await build({ ...buildOptions(entry, target, outdir), write: false });
  const metafile = result.metafile as NonNullable<typeof result.metafile>;
  // The metafile names outputs relative to the working directory, outputFiles absolutely.
  const loaded = new Set([...staticClosure(metafile, entry)].map((path) => resolve(path)));
  const found = new Set<string>();
  let undici = false;
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && isBuiltin(imported.path)) found.add(imported.path);
      if (imported.path === "undici" || imported.path.startsWith("undici/")) undici = true;
    }
  }
  const packages: Record<string, number> = {};
  const files: Record<string, number> = {};
  const lazyFiles: Record<string, number> = {};
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    const into = loaded.has(resolve(output)) ? files : lazyFiles;
    for (const [path, input] of Object.entries(meta.inputs)) {
      if (path.startsWith(`${AFTER_ENTRY}:`)) continue;
      const name = packageOf(path);
      if (name === "undici") undici = true;
      packages[name] = (packages[name] ?? 0) + input.bytesInOutput;
      const short = path.includes("node_modules/")
        ? `${name}/${path.slice(path.lastIndexOf(name) + name.length + 1)}`
        : path.replace(/^(\.\.\/)+/, "");
      into[short] = (into[short] ?? 0) + input.bytesInOutput;
    }
  }
  const start: ChunkBytes = { chunks: 0, minified: 0, gzip: 0 };
  const lazy: ChunkBytes = { chunks: 0, minified: 0, gzip: 0 };
  let code: Uint8Array | undefined;
  for (const file of result.outputFiles) {
    if (!file.path.endsWith(".js")) continue;
    const sum = loaded.has(file.path) ? start : lazy;
    sum.chunks++;
    sum.minified += file.contents.byteLength;
    sum.gzip += gzipSync(file.contents, { level: 9 }).byteLength;
    if (file.path === resolve(outdir, `${basename(entry).replace(/\.[cm]?[jt]s$/, "")}.js`)) code = file.contents;
  }
  if (!code || start.chunks !== loaded.size)
    throw new Error(`esbuild's output for ${entry} does not match its metafile`);
  return {
    minified: start.minified,
    gzip: start.gzip,
    lazy: { ...lazy, files: lazyFiles },
    builtins: [...found].sort(),
    undici,
    packages,
    files,
    code,
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
