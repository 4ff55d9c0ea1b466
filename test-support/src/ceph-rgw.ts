// Starts and stops a throwaway Ceph RGW (ceph-rgw.sh) on free loopback ports, for the S3 tests
// (through rgw-global-setup.ts) and the benchmark.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

/** How to reach an S3 server. */
export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CephRgw {
  server: S3Server;
  /** Stops the daemons and deletes the cluster's data; a second call does nothing. */
  stop(): Promise<void>;
}

/** The shell script that builds, starts and stops the cluster (`up` / `down`). */
export const CEPH_RGW_SCRIPT: string = new URL("./ceph-rgw.sh", import.meta.url).pathname;
/** Installing Ceph from apt on a fresh machine plus the first start; beyond this, fail loudly. */
const START_TIMEOUT_MS = 15 * 60 * 1000;

/** Runs `ceph-rgw.sh <command>` in its own process group; `onStart` gets the group's id. */
function run(
  command: "up" | "down",
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onStart?: (pid: number | undefined) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [CEPH_RGW_SCRIPT, command], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    onStart?.(child.pid);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`ceph-rgw.sh ${command} did not finish in ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      onStart?.(undefined);
      if (code === 0) resolve(output);
      else reject(new Error(`ceph-rgw.sh ${command} failed (exit ${code}):\n${output}`));
    });
  });
}

/**
 * Starts a fresh single-node Ceph with radosgw (installing it from apt when missing, which needs
 * root) and resolves once a signed request succeeds. The daemons are stopped on `stop()`, and
 * also when this process exits or is interrupted first.
 */
export async function startCephRgw(): Promise<CephRgw> {
  const dir = mkdtempSync(join(tmpdir(), "fusio-ceph-"));
  const server: S3Server = {
    endpoint: "",
    region: "us-east-1",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const env = {
    ...process.env,
    CEPH_DIR: dir,
    CEPH_MON_PORT: String(await freePort()),
    CEPH_MON_V1_PORT: String(await freePort()),
    CEPH_RGW_PORT: String(await freePort()),
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
  };
  /** The process group of a running `ceph-rgw.sh up`, so an interrupt can stop it before cleaning up. */
  let starting: number | undefined;
  let stopped = false;
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  // If the owner is interrupted and never calls stop(), still stop the daemons on the way out.
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    if (starting !== undefined) {
      try {
        process.kill(-starting, "SIGKILL");
      } catch {
        // already gone
      }
    }
    spawnSync("bash", [CEPH_RGW_SCRIPT, "down"], { env, stdio: "ignore", timeout: 60_000 });
  };
  const interrupted = (): void => {
    stopNow();
    process.exit(130);
  };
  const forget = (): void => {
    process.off("exit", stopNow);
    for (const signal of signals) process.off(signal, interrupted);
  };
  process.once("exit", stopNow);
  for (const signal of signals) process.once(signal, interrupted);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    forget();
    await run("down", env, 60_000).catch((error: unknown) => console.error(String(error)));
  };
  try {
    await run("up", env, START_TIMEOUT_MS, (pid) => {
      starting = pid;
    });
  } catch (error) {
    await stop();
    throw new Error(
      `Could not start Ceph RGW. Install ceph-mon, ceph-osd and radosgw (Debian), run as root so the script can, or point S3_ENDPOINT at another S3 server.\n${String(error)}`,
    );
  }
  server.endpoint = `http://127.0.0.1:${env.CEPH_RGW_PORT}`;
  return { server, stop };
}
