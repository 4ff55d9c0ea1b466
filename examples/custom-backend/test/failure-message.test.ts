import { defineWith, inputTests, openTests, type TestApi } from "@fusio/conformance";
import { type CallOptions, type File, FusioError, type OpenOptions, type Path } from "@fusio/core";
import { expect, it } from "vitest";
import { KvFs } from "../src/kv-fs.ts";
import { MapKv } from "../src/my-kv.ts";

// Two deliberately broken backends, run through one suite function each, to see what their
// author would read: the failure names the call and what it should have rejected.

/** The mistake the doc warns about: `link` refuses before it checks its paths. */
class LinkRefusesFirst extends KvFs {
  override async link(_from: Path | string, _to: Path | string, _options?: CallOptions): Promise<void> {
    throw new FusioError("Unsupported", "kv has no links", { op: "link", backend: this.kind });
  }
}

/** Creates every file it is asked to open. */
class OpenCreates extends KvFs {
  override open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    return super.open(path, { ...options, create: true });
  }
}

/** The suite's tests, registered in a map instead of with the runner, so one can be run here. */
function suiteTests(register: (api: TestApi) => void): Map<string, () => Promise<void>> {
  const tests = new Map<string, () => Promise<void>>();
  register({ describe: (_name, body) => body(), it: (name, body) => void tests.set(name, body), expect });
  return tests;
}

/**
 * Runs the suite's test called `name` and returns the assertion it failed with: vitest's
 * headline shortens long strings, and its diff prints `actual` and `expected` whole.
 */
async function failureOf(
  tests: Map<string, () => Promise<void>>,
  name: string,
): Promise<{ message: string; actual?: unknown; expected?: unknown }> {
  const test = tests.get(name);
  if (test === undefined) throw new Error(`no test called ${name}`);
  return test().then(
    () => ({ message: "passed" }),
    (error: Error) => error,
  );
}

it("a wrong kind names the call, what it rejected and what it should reject", async () => {
  const tests = suiteTests((api) =>
    inputTests(defineWith({ create: () => new LinkRefusesFirst(new MapKv(), "broken") }, api)),
  );
  const failure = await failureOf(tests, "invalid path strings reject InvalidPath on every method");
  expect(failure.message).toMatch(
    /^expected 'link\(good, "a\/\/b"\) rejecte.*' to be 'link\(good, "a\/\/b"\) rejects InvalidPath'/,
  );
  expect(failure.actual).toBe('link(good, "a//b") rejected Unsupported [kv link]: kv has no links');
  expect(failure.expected).toBe('link(good, "a//b") rejects InvalidPath');
});

it("a call that resolves instead of rejecting is named too", async () => {
  const tests = suiteTests((api) =>
    openTests(defineWith({ create: () => new OpenCreates(new MapKv(), "broken") }, api)),
  );
  const failure = await failureOf(
    tests,
    "open of a missing path without create rejects NotFound, whatever else is asked",
  );
  expect(failure.message).toBe(
    "expected 'open(missing) resolved' to be 'open(missing) rejects NotFound' // Object.is equality",
  );
});
