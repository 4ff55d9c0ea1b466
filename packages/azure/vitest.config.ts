import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    name: "azure",
    // Starts Azurite in memory on a free port (unless AZURE_* point at a real account).
    globalSetup: ["./test/server/global-setup.ts"],
  },
});
