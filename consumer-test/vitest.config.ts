import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "consumer",
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // The S3 server the Node program talks to: the same Ceph RGW the S3 tests use.
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
  },
});
