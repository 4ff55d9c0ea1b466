import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "unstorage",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // fusioDriver(S3Fs): @fusio/s3's Ceph RGW on free loopback ports, or the server S3_ENDPOINT names.
    globalSetup: ["./test/setup/rgw.ts"],
  },
});
