import type { Fs } from "@fusio/core";
import type { ConformanceOptions, TestApi } from "./api.ts";
import { defineWith } from "./context.ts";
import { capabilityTests } from "./suites/capabilities.ts";
import { casTests } from "./suites/cas.ts";
import { inputTests } from "./suites/input.ts";
import { listTests } from "./suites/list.ts";
import { manageTests } from "./suites/manage.ts";
import { openTests } from "./suites/open.ts";
import { readFileTests } from "./suites/read-file.ts";
import { readWriteTests } from "./suites/read-write.ts";

export type { ConformanceOptions, ConformanceOverrides, Expectation, TestApi } from "./api.ts";
export { bytes, type Case, type Define, defineWith } from "./context.ts";
export { capabilityTests, casTests, inputTests, listTests, manageTests, openTests, readFileTests, readWriteTests };

/**
 * Registers the whole fusio behaviour suite for one backend under `describe(name)`.
 *
 * ```ts
 * import { describe, expect, it } from "vitest";
 * import { describeFs } from "@fusio/conformance";
 * describeFs("MyFs", { create: () => new MyFs() }, { describe, it, expect });
 * ```
 */
export function describeFs<F extends Fs>(name: string, options: ConformanceOptions<F>, api: TestApi): void {
  const test = defineWith(options, api);
  api.describe(name, () => {
    api.describe("capabilities", () => capabilityTests(test, options.capabilities));
    api.describe("open", () => openTests(test));
    api.describe("read and write", () => readWriteTests(test, options.overrides));
    api.describe("readFile", () => readFileTests(test));
    api.describe("list", () => listTests(test));
    api.describe("stat, remove, copy, link, sync", () => manageTests(test));
    api.describe("conditional writes", () => casTests(test, options.overrides));
    api.describe("bad input and abort", () => inputTests(test));
  });
}
