import { defineProject } from "vitest/config";

export default defineProject({
  // Test the TypeScript sources of workspace packages, no build step; resolve them as Deno
  // does (`deno` too, which vite would not add: e.g. @fusio/http's default client).
  ssr: { resolve: { conditions: ["deno", "source"] } },
  resolve: { conditions: ["deno", "source"] },
  // Runs only inside deno: the root vitest.workspace.ts picks this project by runtime.
  test: { name: "deno" },
});
