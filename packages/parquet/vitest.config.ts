import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "parquet",
    // Tens of megabytes are generated, encoded and uploaded on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The S3 variant: the shared test Ceph RGW (@fusio-internal/test-support) on free loopback ports, or the server S3_ENDPOINT names.
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
  },
});
