import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "demo",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["@fusio-internal/test-support/rgw-global-setup"],
  },
});
