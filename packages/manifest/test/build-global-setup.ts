// vitest globalSetup: the process tests' workers run the built packages (dist). Building them
// once here, before any test file starts, keeps two files' `tsc -b` from writing the same
// outputs at once (each file's own build then finds everything up to date).
import { spawnSync } from "node:child_process";

const REPO = new URL("../../../", import.meta.url).pathname;

export default function setup(): void {
  const build = spawnSync("npx", ["tsc", "-b", "packages/manifest", "packages/node", "packages/s3"], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`tsc -b failed:\n${build.stdout}${build.stderr}`);
}
