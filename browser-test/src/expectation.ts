import type { Expectation } from "@fusio/conformance";

// The two assertions the conformance suite uses, for running it where vitest's `expect` is not
// (inside a worker): `toBe` is `Object.is`, `toEqual` is a structural comparison that, like
// vitest's, ignores properties whose value is `undefined`.

function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  const defined = (value: object): string[] =>
    Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  const keys = defined(a);
  return (
    keys.length === defined(b).length &&
    keys.every((key) => equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** An `expect` for the conformance suite that throws an `Error` naming both values on a mismatch. */
export function expectation(actual: unknown): Expectation {
  return {
    toBe(expected) {
      if (!Object.is(actual, expected)) throw new Error(`expected ${show(actual)} to be ${show(expected)}`);
    },
    toEqual(expected) {
      if (!equal(actual, expected)) throw new Error(`expected ${show(actual)} to equal ${show(expected)}`);
    },
  };
}
