import { defineProject } from "vitest/config";

export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: {
    // The page itself runs in the browser project (browser-test/test/example-page.test.ts).
    name: "example-browser",
  },
});
