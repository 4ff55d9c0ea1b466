import { defineProject } from "vitest/config";

// Node-side unit tests of @fusio/opfs (what needs no browser); the OPFS itself is tested in
// headless Chromium by the `browser` project (browser-test/).
export default defineProject({
  ssr: { resolve: { conditions: ["source"] } },
  resolve: { conditions: ["source"] },
  test: { name: "opfs" },
});
