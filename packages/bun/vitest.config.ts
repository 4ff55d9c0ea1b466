import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step; resolve them as Bun
  // does (`bun` too, which vite would not add: e.g. @fusio/http's default client).
  ssr: { resolve: { conditions: ["bun", "source"] } },
  resolve: { conditions: ["bun", "source"] },
  // Runs only inside bun: the root vitest.workspace.ts picks this project by runtime.
  test: { name: "bun" },
});
