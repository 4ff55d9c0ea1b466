import { fileURLToPath } from "node:url";
import { type BuildResult, build } from "esbuild";

/**
 * Bundles `entry` the way Wrangler bundles a worker (ESM, no Node built-ins), resolving
 * workspace packages to their TypeScript sources. `node:` imports are left external so a test
 * can see them in the metafile instead of failing to resolve.
 */
export async function bundleForWorkers(
  entry: URL,
  options: { minify?: boolean } = {},
): Promise<BuildResult<{ write: false; metafile: true }> & { code: string }> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "source"],
    mainFields: ["module", "main"],
    external: ["node:*"],
    minify: options.minify ?? false,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { ...result, code: result.outputFiles[0]?.text ?? "" };
}
