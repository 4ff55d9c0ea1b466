// What `pnpm pack` and `pnpm publish` change in every package's manifest; the consumer test
// (consumer-test/) installs the result. pnpm records this file's checksum in pnpm-lock.yaml:
// after editing it, run `pnpm install`.
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

// The `source` export condition points vitest, Bun and Deno at the TypeScript sources inside
// this workspace. Published, a consumer whose tsconfig sets `customConditions: ["source"]`
// (common in monorepos) would type-check our sources instead of the .d.ts files.
function withoutSource(value) {
  if (Array.isArray(value)) return value.map(withoutSource);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([condition]) => condition !== "source")
      .map(([condition, target]) => [condition, withoutSource(target)]),
  );
}

/** The version of every package under packages/, by name. */
function workspaceVersions() {
  const packages = join(__dirname, "packages");
  const versions = new Map();
  for (const name of readdirSync(packages)) {
    const file = join(packages, name, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    versions.set(manifest.name, manifest.version);
  }
  return versions;
}

// A peer on a sibling (`"@fusio/core": "workspace:^0"`) is published as `^<its version>`,
// which under 0.x means "this minor": minors are breaking, so `@fusio/s3` 0.2 must not install
// beside `@fusio/core` 0.1. The manifests say `workspace:^0` rather than `workspace:^` (which
// pnpm alone would publish the same way) because changesets bumps a package *major* when a
// new version of its peer leaves the peer's range, and `^0.1.0` is left by every minor
// release: with `workspace:^`, the next release of the fixed group would be 1.0.0.
function pinnedPeers(peers, versions) {
  return Object.fromEntries(
    Object.entries(peers).map(([name, range]) => [name, versions.has(name) ? `^${versions.get(name)}` : range]),
  );
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      for (const field of ["exports", "imports"]) {
        if (manifest[field] !== undefined) manifest[field] = withoutSource(manifest[field]);
      }
      if (manifest.peerDependencies !== undefined) {
        manifest.peerDependencies = pinnedPeers(manifest.peerDependencies, workspaceVersions());
      }
      return manifest;
    },
  },
};
