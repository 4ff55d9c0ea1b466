import { startMiniflare } from "@fusio-internal/test-support/miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { bundleForWorkers } from "./__fixtures__/bundle.ts";
import { OVERRIDES } from "./__fixtures__/settings.ts";
import type { TestResult } from "./worker/harness.ts";

// The conformance suite once more, inside workerd: a worker bundled from the package runs
// each test on request; every in-worker test shows up here as one vitest test.
const { code } = await bundleForWorkers(new URL("./worker/entry.ts", import.meta.url));
const { miniflare } = await startMiniflare(code);
const names = (await (await miniflare.dispatchFetch("http://worker/tests")).json()) as string[];

afterAll(async () => {
  await miniflare.dispose();
});

describe("in a worker (workerd, via Miniflare)", () => {
  it("the worker registered the conformance suite", () => {
    expect(names.length).toBeGreaterThan(40);
  });
  for (const name of names) {
    it(
      name,
      async () => {
        const response = await miniflare.dispatchFetch(`http://worker/run?name=${encodeURIComponent(name)}`);
        const result = (await response.json()) as TestResult;
        if (!result.ok) throw new Error(result.error);
        expect(result.name).toBe(name);
      },
      OVERRIDES.timeout,
    );
  }
});
