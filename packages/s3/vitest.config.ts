import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "s3",
    // Starts a Ceph RGW on free loopback ports unless S3_ENDPOINT points at another server.
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
