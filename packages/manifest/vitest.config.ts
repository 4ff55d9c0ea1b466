import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: { name: "manifest" },
});
