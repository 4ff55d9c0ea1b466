// Starts a throwaway Ceph RGW for the @fusio/s3 tests (test/server/ceph-rgw.sh) on free
// loopback ports, creates the test bucket, hands the connection to the tests via `inject("s3")`,
// and stops Ceph and deletes its data afterwards. With S3_ENDPOINT (+ S3_ACCESS_KEY_ID,
// S3_SECRET_ACCESS_KEY, S3_BUCKET, S3_REGION; S3_COMPAT=ceph-pacific for an RGW Pacific) the
// same tests run against that server instead and nothing is started.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createBucket, type S3TestConfig } from "./s3-config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    s3: S3TestConfig;
  }
}

const SCRIPT = new URL("../server/ceph-rgw.sh", import.meta.url).pathname;
/** Installing Ceph from apt on a fresh machine plus the first start; beyond this, fail loudly. */
const START_TIMEOUT_MS = 15 * 60 * 1000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The process group of a running `ceph-rgw.sh up`, so an interrupt can stop it before cleaning up. */
let starting: number | undefined;

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [SCRIPT, ...args], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (args[0] === "up") starting = child.pid;
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`ceph-rgw.sh ${args[0]} did not finish in ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (args[0] === "up") starting = undefined;
      if (code === 0) resolve(output);
      else reject(new Error(`ceph-rgw.sh ${args[0]} failed (exit ${code}):\n${output}`));
    });
  });
}

/**
 * One RGW for every project that needs S3 (s3, r2, parquet, unstorage): vitest runs all global
 * setups in its main process, so the first one starts Ceph and later ones share it; the last
 * teardown stops it. (Starting one per project would also race apt-get on a fresh machine.)
 */
interface Shared {
  started: Promise<{ config: S3TestConfig; stop: () => Promise<void> }>;
  users: number;
}
const SHARED = Symbol.for("@fusio/s3/test/ceph-rgw");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = globalThis as { [SHARED]?: Shared };
  const shared = registry[SHARED] ?? { started: start(), users: 0 };
  registry[SHARED] = shared;
  shared.users++;
  try {
    project.provide("s3", (await shared.started).config);
  } catch (error) {
    shared.users--;
    throw error;
  }
  return async () => {
    if (--shared.users > 0) return;
    delete registry[SHARED];
    await (await shared.started).stop();
  };
}

async function start(): Promise<{ config: S3TestConfig; stop: () => Promise<void> }> {
  const fromEnv = process.env.S3_ENDPOINT;
  if (fromEnv) {
    const config: S3TestConfig = {
      endpoint: fromEnv,
      accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "",
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "",
      bucket: process.env.S3_BUCKET ?? "fusio-test",
      region: process.env.S3_REGION ?? "us-east-1",
      cephPacific: process.env.S3_COMPAT === "ceph-pacific",
    };
    await createBucket(config);
    return { config, stop: async () => undefined };
  }

  const dir = mkdtempSync(join(tmpdir(), "fusio-ceph-"));
  const config: S3TestConfig = {
    endpoint: "",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    bucket: "fusio-test",
    region: "us-east-1",
    cephPacific: true,
  };
  const env = {
    ...process.env,
    CEPH_DIR: dir,
    CEPH_MON_PORT: String(await freePort()),
    CEPH_MON_V1_PORT: String(await freePort()),
    CEPH_RGW_PORT: String(await freePort()),
    S3_ACCESS_KEY_ID: config.accessKeyId,
    S3_SECRET_ACCESS_KEY: config.secretAccessKey,
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopNow);
    await run(["down"], env, 60_000).catch((error: unknown) => console.error(String(error)));
  };
  // If vitest is interrupted and never runs the teardown, still stop the daemons on the way out.
  function stopNow(): void {
    if (stopped) return;
    stopped = true;
    if (starting !== undefined) {
      try {
        process.kill(-starting, "SIGKILL");
      } catch {
        // already gone
      }
    }
    spawnSync("bash", [SCRIPT, "down"], { env, stdio: "ignore", timeout: 60_000 });
  }
  process.once("exit", stopNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      stopNow();
      process.exit(130);
    });
  }
  try {
    await run(["up"], env, START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(
      `Could not start Ceph RGW for the S3 tests. Install ceph-mon, ceph-osd and radosgw (Debian), run as root so the script can, or point S3_ENDPOINT at another S3 server.\n${String(error)}`,
    );
  }
  config.endpoint = `http://127.0.0.1:${env.CEPH_RGW_PORT}`;
  try {
    await createBucket(config);
  } catch (error) {
    await stop();
    throw error;
  }
  return { config, stop };
}
