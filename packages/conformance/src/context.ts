import { type ErrorKind, type Fs, FusioError, Path } from "@fusio/core";
import type { ConformanceOptions, Expectation, TestApi } from "./api.ts";

/** What one test gets: the Fs, a fresh random directory on it, and assertion helpers. */
export interface Case<F extends Fs = Fs> {
  fs: F;
  /** A directory unique to this test; every path the test touches is below it. */
  base: Path;
  /** `base` joined with `relative` (parsed, not encoded). */
  at(relative: string): Path;
  expect(actual: unknown): Expectation;
  /**
   * Awaits `run()` and asserts that it rejected (not threw synchronously) with a FusioError of
   * `kind`. `call` names the call in a failure, e.g. `link(good, "a/../b")`; it defaults to the
   * source text of `run`.
   */
  rejects(run: () => unknown, kind: ErrorKind, call?: string): Promise<FusioError>;
  /** Writes `data` to a new file at `path` (create + truncate, close). */
  put(path: Path, data: Uint8Array): Promise<void>;
  /** Reads the whole file at `path` through a fresh read-only handle. */
  get(path: Path): Promise<Uint8Array>;
}

/** Registers one test that runs `body` with a fresh {@link Case}. */
export type Define<F extends Fs = Fs> = (name: string, body: (t: Case<F>) => Promise<void>) => void;

function describeError(error: unknown): string {
  // A FusioError's message starts with its kind, then names the backend, op and path.
  if (FusioError.is(error)) return error.message;
  return `a non-FusioError ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/**
 * Asserts that `error`, what `call` rejected with, is a FusioError of `kind`. Both sides of the
 * comparison name the call, so a failure reads `expected 'link(good, "a/../b") rejected
 * Unsupported [kv link]: ...' to be 'link(good, "a/../b") rejects InvalidPath'` under any
 * runner.
 */
export function expectKind(expect: TestApi["expect"], call: string, error: unknown, kind: ErrorKind): void {
  const expected = `${call} rejects ${kind}`;
  expect(FusioError.is(error, kind) ? expected : `${call} rejected ${describeError(error)}`).toBe(expected);
}

/** Builds the `Define` function that the focused suites use. */
export function defineWith<F extends Fs>(options: ConformanceOptions<F>, api: TestApi): Define<F> {
  const timeout = options.overrides?.timeout ?? 30_000;
  return (name, body) => {
    api.it(
      name,
      async () => {
        const fs = await options.create();
        const base = Path.parse(
          `fusio-conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        );
        const t: Case<F> = {
          fs,
          base,
          at: (relative) => base.join(relative),
          expect: api.expect,
          async rejects(run, kind, call = String(run)) {
            let promise: unknown;
            try {
              promise = run();
            } catch (error) {
              api.expect(`${call} threw synchronously: ${describeError(error)}`).toBe(`${call} rejects ${kind}`);
              throw error;
            }
            try {
              await promise;
            } catch (error) {
              expectKind(api.expect, call, error, kind);
              return error as FusioError;
            }
            api.expect(`${call} resolved`).toBe(`${call} rejects ${kind}`);
            throw new Error("unreachable");
          },
          async put(path, data) {
            const file = await fs.open(path, { create: true, truncate: true });
            await file.writeAll(data);
            await file.close();
          },
          async get(path) {
            const file = await fs.open(path);
            try {
              return await file.readToEndAt(0);
            } finally {
              await file.close();
            }
          },
        };
        try {
          await body(t);
        } finally {
          await cleanup(fs, base);
          await options.destroy?.(fs);
        }
      },
      timeout,
    );
  };
}

async function cleanup(fs: Fs, base: Path): Promise<void> {
  try {
    const files: Path[] = [];
    for await (const entry of fs.list(base, { recursive: true })) files.push(entry.path);
    await Promise.all(files.map((path) => fs.remove(path)));
  } catch {
    // Best effort: a failing cleanup must not hide the test's own result.
  }
}

/** Deterministic pseudo-random bytes (xorshift32), so failures are reproducible. */
export function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A test input as a call's name in a failure shows it: strings quoted, objects by their class. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (typeof value === "object" && value !== null) return value.constructor.name;
  return String(value);
}

/** Compares bytes with one assertion that prints a short, useful difference. */
export function sameBytes(expect: TestApi["expect"], actual: Uint8Array, expected: Uint8Array): void {
  if (actual.length !== expected.length) {
    expect(`length ${actual.length}`).toBe(`length ${expected.length}`);
    return;
  }
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      expect(`byte ${i} = ${actual[i]}`).toBe(`byte ${i} = ${expected[i]}`);
      return;
    }
  }
}
