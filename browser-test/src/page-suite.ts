// The page side of worker-suite.ts: one vitest test per test the worker runs.
import { afterAll, describe, it } from "vitest";
import type { SuiteMessage } from "./worker-suite.ts";

interface Outcome {
  readonly promise: Promise<string | undefined>;
  readonly resolve: (error: string | undefined) => void;
}

/**
 * Waits for the names of the tests `worker` runs and registers one vitest test for each, which
 * passes or fails with the worker's result. Call it with top-level await.
 */
export async function describeWorkerSuite(title: string, worker: Worker): Promise<void> {
  // Each test's outcome (an error text, or undefined when it passed), whichever comes first:
  // the worker's report or the vitest test that waits for it.
  const results = new Map<string, Outcome>();
  const result = (name: string): Outcome => {
    let entry = results.get(name);
    if (entry === undefined) {
      let resolve: Outcome["resolve"] = () => {};
      const promise = new Promise<string | undefined>((settle) => {
        resolve = settle;
      });
      entry = { promise, resolve };
      results.set(name, entry);
    }
    return entry;
  };
  let known: readonly string[] = [];
  const names = await new Promise<readonly string[]>((resolve, reject) => {
    worker.addEventListener("error", (event) => {
      // Before the names came: the file fails. After: every test still waiting fails at once.
      const failure = `the suite worker failed: ${event.message}`;
      reject(new Error(failure));
      for (const name of known) result(name).resolve(failure);
    });
    worker.addEventListener("message", (event: MessageEvent<SuiteMessage>) => {
      const message = event.data;
      if (message.type === "names") {
        known = message.names;
        resolve(message.names);
      } else {
        result(message.name).resolve(message.error);
      }
    });
  });
  afterAll(() => worker.terminate());
  describe(title, () => {
    for (const name of names) {
      it(name, async () => {
        const error = await result(name).promise;
        if (error !== undefined) throw new Error(error);
      });
    }
  });
}
