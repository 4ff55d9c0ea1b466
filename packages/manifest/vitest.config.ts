import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "manifest",
    // The checker, the crash and the fault tests on S3 share the Ceph RGW of every S3 project
    // (or S3_ENDPOINT); the Azure and R2 checkers start Azurite and Miniflare themselves.
    // The process tests' workers run dist: built once, first.
    globalSetup: ["./test/build-global-setup.ts", "@fusio-internal/test-support/rgw-global-setup"],
    hookTimeout: 300_000,
  },
});
