// vitest globalSetup of the browser project: make sure Chromium is there before the provider
// launches it (installs Debian's package from apt on a fresh machine; ~40 s once).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export function setup(): void {
  const script = fileURLToPath(new URL("./install-chromium.sh", import.meta.url));
  execFileSync("bash", [script], { stdio: ["ignore", "ignore", "inherit"] });
}
