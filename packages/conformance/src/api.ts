import type { Capabilities, Fs } from "@fusio/core";

/** The assertions the suite uses; vitest's, Bun's and Jest-style `expect` all fit. */
export interface Expectation {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
}

/**
 * The test functions of your runner, passed in so the suite runs under vitest, `bun:test`,
 * Deno or Jest alike: `import { describe, it, expect } from "vitest"`.
 */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeout?: number): void;
  expect(actual: unknown): Expectation;
}

/** Knobs for backends whose servers need them. Each says who needs it and why. */
export interface ConformanceOverrides {
  /**
   * Size in bytes of the "large" round trip. Default 3 MiB + 7. Object stores set it above
   * their part size so that the multipart path is exercised.
   */
  largeSize?: number;
  /** Per-test timeout in milliseconds. Default 30 000; remote backends on slow servers raise it. */
  timeout?: number;
  /** How many writers race in the CAS tests. Default 16. */
  casRacers?: number;
}

/** How to run the suite on one backend. */
export interface ConformanceOptions<F extends Fs = Fs> {
  /**
   * Makes the Fs for one test. It may return the same instance every time: each test works
   * under its own random directory and removes what it made.
   */
  create(): F | Promise<F>;
  /** Called after each test with the Fs it used (close clients, remove temp roots). */
  destroy?(fs: F): void | Promise<void>;
  /**
   * The capabilities the backend is expected to report. When given, the suite fails if
   * `fs.capabilities` differs, so a backend cannot silently drop a feature.
   */
  capabilities?: Capabilities;
  overrides?: ConformanceOverrides;
}
