// The page's browser bundle: esbuild, one ES module, for the browser platform (export conditions
// `browser` and `module`; the workspace packages from their TypeScript sources).
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

/** The entry of the bundle. */
export const ENTRY: string = fileURLToPath(new URL("./page.ts", import.meta.url));

/** The bundle's code and esbuild's account of what went into it. */
export interface PageBundle {
  code: string;
  metafile: Metafile;
}

/** Bundles the page in memory. */
export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["source"],
    minify: true,
    metafile: true,
    write: false,
    outfile: "page.js",
    logLevel: "silent",
  });
  const output = result.outputFiles.find((file) => file.path.endsWith(".js"));
  if (output === undefined) throw new Error("esbuild wrote no page.js");
  return { code: output.text, metafile: result.metafile };
}
