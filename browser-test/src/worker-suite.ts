// A conformance suite run inside a dedicated worker and reported to the page, one result per
// test, so each becomes its own vitest test (see page-suite.ts).
import type { TestApi } from "@fusio/conformance";
import { expectation } from "./expectation.ts";
import { scope } from "./worker-scope.ts";

/** What a suite worker posts: first every test name, then each result in the same order. */
export type SuiteMessage =
  | { readonly type: "names"; readonly names: readonly string[] }
  | { readonly type: "result"; readonly name: string; readonly error?: string };

/** In a worker: registers the suite with `register`, posts the test names, then runs the tests one by one. */
export async function serveSuite(register: (api: TestApi) => void): Promise<void> {
  const tests: { name: string; body: () => Promise<void> }[] = [];
  const prefix: string[] = [];
  register({
    describe(name, body) {
      prefix.push(name);
      try {
        body();
      } finally {
        prefix.pop();
      }
    },
    it(name, body) {
      tests.push({ name: [...prefix, name].join(" > "), body });
    },
    expect: expectation,
  });
  const post = (message: SuiteMessage): void => scope.postMessage(message);
  post({ type: "names", names: tests.map((test) => test.name) });
  for (const test of tests) {
    try {
      await test.body();
      post({ type: "result", name: test.name });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error);
      post({ type: "result", name: test.name, error: text });
    }
  }
}
