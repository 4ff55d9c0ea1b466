import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step.
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  // Runs only inside deno: the root vitest.workspace.ts picks this project by runtime.
  test: { name: "deno" },
});
