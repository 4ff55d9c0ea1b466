// A tiny test API for running the conformance suite inside a worker, where vitest cannot
// run: `describe` / `it` / `expect` that collect tests by full name and run one on request.
import type { Expectation, TestApi } from "@fusio/conformance";

/** The outcome of one test, as the worker reports it over HTTP. */
export interface TestResult {
  name: string;
  ok: boolean;
  error?: string;
}

export interface Harness {
  api: TestApi;
  names(): string[];
  run(name: string): Promise<TestResult>;
}

export function createHarness(): Harness {
  const tests = new Map<string, () => Promise<void>>();
  const scope: string[] = [];
  const api: TestApi = {
    describe(name, body) {
      scope.push(name);
      try {
        body();
      } finally {
        scope.pop();
      }
    },
    it(name, body) {
      tests.set([...scope, name].join(" > "), body);
    },
    expect(actual): Expectation {
      return {
        toBe(expected) {
          if (!Object.is(actual, expected)) throw new Error(`expected ${show(actual)} to be ${show(expected)}`);
        },
        toEqual(expected) {
          if (!equal(actual, expected)) throw new Error(`expected ${show(actual)} to equal ${show(expected)}`);
        },
      };
    },
  };
  return {
    api,
    names: () => [...tests.keys()],
    async run(name) {
      const body = tests.get(name);
      if (body === undefined) return { name, ok: false, error: "no such test in the worker" };
      try {
        await body();
        return { name, ok: true };
      } catch (error) {
        return {
          name,
          ok: false,
          error: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error),
        };
      }
    },
  };
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Structural equality as vitest's `toEqual` has it: undefined members are ignored. */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (Array.isArray(a) !== Array.isArray(b) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equal(x[i], y[i])) return false;
    return true;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
