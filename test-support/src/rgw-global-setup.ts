// vitest globalSetup for every project that tests against S3 (s3, r2, parquet, unstorage, the
// demo): starts a throwaway Ceph RGW (ceph-rgw.ts) on free loopback ports, creates the test
// bucket, hands the connection to the tests via `inject("s3")`, and stops Ceph and deletes its
// data afterwards. With S3_ENDPOINT (+ S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_BUCKET,
// S3_REGION; S3_COMPAT=ceph-pacific for an RGW Pacific) the same tests run against that server
// instead and nothing is started.
import type { TestProject } from "vitest/node";
import { startCephRgw } from "./ceph-rgw.ts";
import { createBucket, type S3TestConfig } from "./s3-test-config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    s3: S3TestConfig;
  }
}

/**
 * One RGW for every project that needs S3: vitest runs all global setups in its main process, so
 * the first one starts Ceph and later ones share it; the last teardown stops it. (Starting one
 * per project would also race apt-get on a fresh machine.)
 */
interface Shared {
  started: Promise<{ config: S3TestConfig; stop: () => Promise<void> }>;
  users: number;
}
// A global symbol, not a module variable: vitest may load this module once per project.
const SHARED = Symbol.for("@fusio-internal/test-support/ceph-rgw");

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
  const rgw = await startCephRgw();
  const config: S3TestConfig = { ...rgw.server, bucket: "fusio-test", cephPacific: true };
  try {
    await createBucket(config);
  } catch (error) {
    await rgw.stop();
    throw error;
  }
  return { config, stop: rgw.stop };
}
