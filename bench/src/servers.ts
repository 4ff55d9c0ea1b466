// The real servers the benchmarks use (the size proofs and any speed group): Azurite (from npm, in memory) and an S3
// endpoint — `S3_ENDPOINT` (+ `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, `S3_REGION`) when
// set, else a throwaway Ceph RGW from the @fusio/s3 test script when this checkout has it.
// Free loopback ports; each `stop()` ends only what its `start` began.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsClient } from "aws4fetch";
import { benchDir, repoRoot } from "./size/catalog.ts";

export interface Server<T> {
  config: T;
  /** What it is, for the report (e.g. "Azurite 3.37.0, in memory"). */
  description: string;
  stop(): Promise<void>;
}

export interface S3Config {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AzureConfig {
  accountUrl: string;
  accountName: string;
  accountKey: string;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitFor(ready: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms`);
}

/** Azurite's documented development account. */
const AZURITE_ACCOUNT = "devstoreaccount1";
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export async function startAzurite(): Promise<Server<AzureConfig>> {
  const port = await freePort();
  const bin = new URL("node_modules/azurite/dist/src/blob/main.js", benchDir).pathname;
  // --skipApiVersionCheck: @azure/storage-blob 12.34 sends a service version Azurite 3.37 doesn't know yet.
  const child = spawn(
    process.execPath,
    [
      bin,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--silent",
      "--disableTelemetry",
      "--skipApiVersionCheck",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Never leave Azurite behind if this process ends before stop().
  const orphan = () => child.kill();
  process.once("exit", orphan);
  const accountUrl = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  try {
    await waitFor(async () => (await fetch(`${accountUrl}?comp=list`)).status > 0, "Azurite", 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    config: { accountUrl, accountName: AZURITE_ACCOUNT, accountKey: AZURITE_KEY },
    description: "Azurite 3.37.0 (in memory)",
    async stop() {
      process.off("exit", orphan);
      child.kill();
      await exited;
    },
  };
}

async function listBuckets(config: S3Config): Promise<boolean> {
  const aws = new AwsClient({ ...config, service: "s3", retries: 0 });
  return (await aws.fetch(`${config.endpoint.replace(/\/$/, "")}/`)).status === 200;
}

/** The S3 server, or undefined with the reason when there is none to be had here. */
export async function startS3(): Promise<Server<S3Config> | { unavailable: string }> {
  const fromEnv = process.env.S3_ENDPOINT;
  if (fromEnv) {
    const config = {
      endpoint: fromEnv,
      region: process.env.S3_REGION ?? "us-east-1",
      accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "",
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "",
    };
    return { config, description: `S3_ENDPOINT ${fromEnv}`, stop: async () => {} };
  }
  const script = process.env.CEPH_RGW_SCRIPT ?? new URL("packages/s3/test/server/ceph-rgw.sh", repoRoot).pathname;
  if (!existsSync(script)) {
    return {
      unavailable: `no S3 server: set S3_ENDPOINT, or merge @fusio/s3 (its ${script.replace(repoRoot.pathname, "")})`,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "fusio-bench-ceph-"));
  const env = {
    ...process.env,
    CEPH_DIR: dir,
    CEPH_MON_PORT: String(await freePort()),
    CEPH_MON_V1_PORT: String(await freePort()),
    CEPH_RGW_PORT: String(await freePort()),
  };
  const config = {
    endpoint: `http://127.0.0.1:${env.CEPH_RGW_PORT}`,
    region: "us-east-1",
    accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const down = () => {
    spawnSync("bash", [script, "down"], { env, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  // Never leave the cluster behind if this process ends before stop().
  process.once("exit", down);
  const stop = async () => {
    process.off("exit", down);
    down();
  };
  const up = spawnSync("bash", [script, "up"], { env, encoding: "utf8", timeout: 300_000 });
  if (up.status !== 0) {
    await stop();
    return {
      unavailable: `Ceph RGW did not start: ${(up.stderr || up.stdout).trim().split("\n").slice(-3).join(" / ")}`,
    };
  }
  await waitFor(() => listBuckets(config), "Ceph RGW", 60_000);
  return { config, description: "Ceph RGW (Debian radosgw, throwaway cluster)", stop };
}
