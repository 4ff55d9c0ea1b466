import { playwright } from "@vitest/browser-playwright";
import { defineProject } from "vitest/config";

// Debian's `chromium` package; setup/chromium.ts installs it from apt when missing. Given a
// binary, Playwright downloads no browser of its own.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium";

export default defineProject({
  // Setting conditions replaces Vite's defaults, so they are listed again after `source` (test
  // the TypeScript sources of workspace packages, no build step).
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  test: {
    name: "browser",
    globalSetup: ["./setup/chromium.ts"],
    include: ["test/**/*.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath,
          args: [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            // No traffic of its own: no updates, sync, field trials or QUIC probes.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
