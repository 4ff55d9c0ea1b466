import { tmpdir } from "node:os";
import { join } from "node:path";
import { playwright } from "@vitest/browser-playwright";
import { defineProject } from "vitest/config";
import { overwriteAzureBlob, overwriteS3Object } from "./setup/commands.ts";

// Debian's `chromium` package; setup/chromium.ts installs it from apt when missing. Given a
// binary, Playwright downloads no browser of its own.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium";
// A profile on disk, fresh for each run (setup/chromium.ts deletes it at the end): Playwright's
// default context is off the record, where OPFS lives in memory and a file cannot grow past
// 2 GiB, so positions beyond it could not be tested.
process.env.FUSIO_CHROMIUM_PROFILE ??= join(tmpdir(), `fusio-chromium-profile-${process.pid}`);

export default defineProject({
  // Setting conditions replaces Vite's defaults, so they are listed again after `source` (test
  // the TypeScript sources of workspace packages, no build step).
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  test: {
    name: "browser",
    globalSetup: [
      "./setup/chromium.ts",
      // The shared Ceph RGW (`inject("s3")`), then its bucket's CORS rule; Azurite with CORS
      // (`inject("azurite")`); examples/browser's bundle (`inject("examplePage")`).
      "@fusio-internal/test-support/rgw-global-setup",
      "./setup/s3-cors.ts",
      "./setup/azurite.ts",
      "./setup/example-page.ts",
    ],
    include: ["test/**/*.test.ts"],
    // One browser context for all files (a persistent context cannot be shared by parallel sessions).
    fileParallelism: false,
    // Generous: the machine may be busy, and a test that waits on a worker has no other bound.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      // Run in Node when the page calls them: writes behind the page's back.
      commands: { overwriteS3Object, overwriteAzureBlob },
      provider: playwright({
        persistentContext: process.env.FUSIO_CHROMIUM_PROFILE,
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
