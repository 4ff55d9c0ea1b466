import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "unstorage",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // fusioDriver(S3Fs): the shared test Ceph RGW (@fusio-internal/test-support) on free loopback ports, or the server S3_ENDPOINT names.
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
  },
});
