// vitest globalSetup of the browser project: make sure Chromium is there before the provider
// launches it (installs Debian's package from apt on a fresh machine; ~40 s once), and clean up
// browser profiles (see vitest.config.ts).
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROFILE = /^fusio-chromium-profile-(\d+)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function setup(): () => void {
  const script = fileURLToPath(new URL("./install-chromium.sh", import.meta.url));
  execFileSync("bash", [script], { stdio: ["ignore", "ignore", "inherit"] });
  // Chromium still writes to its profile after the teardown below, so what is left of earlier
  // runs (whose vitest process is gone) is removed here.
  for (const name of readdirSync(tmpdir())) {
    const pid = PROFILE.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
  const profile = process.env.FUSIO_CHROMIUM_PROFILE;
  if (profile) rmSync(profile, { recursive: true, force: true });
  return () => {
    if (profile) rmSync(profile, { recursive: true, force: true });
  };
}
