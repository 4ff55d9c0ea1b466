import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  // Megabytes go through Miniflare's proxy on a shared 2-core machine: allow for slow runs.
  test: {
    name: "r2",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The r2Fs preset's integration run: the shared test Ceph RGW (@fusio-internal/test-support) (or S3_ENDPOINT) stands in for R2.
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
  },
});
