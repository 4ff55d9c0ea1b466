// Published manifests carry no `source` export condition: it points vitest, Bun and Deno at
// the TypeScript sources inside this workspace, and a consumer whose tsconfig sets
// `customConditions: ["source"]` (common in monorepos) would type-check our sources instead
// of the .d.ts files. Runs for `pnpm pack` and `pnpm publish` of every package.
// pnpm records this file's checksum in pnpm-lock.yaml: after editing it, run `pnpm install`.
function withoutSource(value) {
  if (Array.isArray(value)) return value.map(withoutSource);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([condition]) => condition !== "source")
      .map(([condition, target]) => [condition, withoutSource(target)]),
  );
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      for (const field of ["exports", "imports"]) {
        if (manifest[field] !== undefined) manifest[field] = withoutSource(manifest[field]);
      }
      return manifest;
    },
  },
};
