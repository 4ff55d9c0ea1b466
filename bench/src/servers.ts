// The real servers the benchmarks use (the size proofs and any speed group): Azurite (from npm, in memory) and an S3
// endpoint — `S3_ENDPOINT` (+ `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, `S3_REGION`) when
// set, else a throwaway Ceph RGW. Both starters are the tests' (@fusio-internal/test-support).
// Free loopback ports; each `stop()` ends only what its `start` began.
import { DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY } from "@fusio/azure";
import { startAzurite as startTestAzurite } from "@fusio-internal/test-support/azurite";
import { type S3Server, startCephRgw } from "@fusio-internal/test-support/ceph-rgw";

export interface Server<T> {
  config: T;
  /** What it is, for the report (e.g. "Azurite 3.37.0, in memory"). */
  description: string;
  stop(): Promise<void>;
}

export type S3Config = S3Server;

export interface AzureConfig {
  accountUrl: string;
  accountName: string;
  accountKey: string;
}

/** Azurite with no access log: its output never piles up while the parent waits for a case. */
export async function startAzurite(): Promise<Server<AzureConfig>> {
  const azurite = await startTestAzurite({ silent: true });
  return {
    config: { accountUrl: azurite.endpoint, accountName: DEVELOPMENT_ACCOUNT, accountKey: DEVELOPMENT_KEY },
    description: `Azurite ${azurite.version} (in memory)`,
    stop: () => azurite.stop(),
  };
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
  try {
    const rgw = await startCephRgw();
    return { config: rgw.server, description: "Ceph RGW (Debian radosgw, throwaway cluster)", stop: rgw.stop };
  } catch (error) {
    return { unavailable: `Ceph RGW did not start: ${String(error).trim().split("\n").slice(-3).join(" / ")}` };
  }
}
