import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
} from "@fusio/core";
import { Manifest, type ManifestOptions } from "@fusio/manifest";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { expect } from "vitest";
import type { Clock } from "../src/clock.ts";
import type { ManifestContext } from "../src/context.ts";
import { Layout } from "../src/layout.ts";

/** A clock the test moves by hand; sleeping advances it instantly. */
export class TestClock implements Clock {
  nowMs: number;
  slept: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.nowMs = start;
  }

  now(): number {
    return this.nowMs;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.nowMs += ms;
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A storage backend the protocol tests run on. */
export interface Backend {
  name: string;
  /** A fresh, empty CasFs; `cleanup` removes what it stored. */
  create(): { fs: CasFs; cleanup(): void };
}

export const backends: Backend[] = [
  { name: "memory", create: () => ({ fs: new MemoryFs(), cleanup: () => {} }) },
  {
    name: "disk",
    create: () => {
      const root = mkdtempSync(join(tmpdir(), "fusio-manifest-"));
      return { fs: new NodeFs({ root }), cleanup: () => rmSync(root, { recursive: true, force: true }) };
    },
  },
];

/** Fast backoff so retry tests do not wait (the test clock makes sleeps instant anyway). */
export const fastBackoff = { baseMs: 1, maxMs: 1, multiplier: 1, jitterFraction: 0, maxRetries: 4 };

/** A manifest of string values on `fs` with a test clock. */
export function stringManifest(fs: CasFs, clock: TestClock, options: ManifestOptions<string> = {}): Manifest<string> {
  return new Manifest<string>(fs, { prefix: "m", clock, backoff: fastBackoff, ...options });
}

/** Asserts that `promise` rejects with a FusioError of `kind`, and returns it. */
export async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<FusioError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(FusioError.is(error) ? error.kind : `not a FusioError: ${String(error)}`).toBe(kind);
  return error as FusioError;
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const decode = (value: Uint8Array): string => new TextDecoder().decode(value);

/** An operation of {@link FaultyFs} a fault can target. */
export type FaultOp = "loadWithTag" | "putConditional" | "remove" | "list";

interface Fault {
  op: FaultOp;
  match: (path: string) => boolean;
  error: () => Error;
  remaining: number;
}

/**
 * A real CasFs (MemoryFs by default) with injected failures: the next N calls of one
 * operation on matching paths throw. The Rust tests do the same with FailingFs,
 * FlakyHeadStore and FailingSegmentStore.
 */
export class FaultyFs implements CasFs {
  readonly inner: CasFs;
  readonly kind: string;
  readonly id: string;
  readonly capabilities: Capabilities;
  readonly #faults: Fault[] = [];
  readonly calls: Record<FaultOp, number> = { loadWithTag: 0, putConditional: 0, remove: 0, list: 0 };

  constructor(inner: CasFs = new MemoryFs()) {
    this.inner = inner;
    this.kind = inner.kind;
    this.id = inner.id;
    this.capabilities = inner.capabilities;
  }

  /** The next `times` calls of `op` on paths containing `fragment` throw `error()`. */
  fail(op: FaultOp, fragment: string, times: number, error: () => Error = transientError): void {
    this.#faults.push({ op, match: (path) => path.includes(fragment), error, remaining: times });
  }

  #check(op: FaultOp, path: Path | string): void {
    this.calls[op]++;
    const fault = this.#faults.find((f) => f.op === op && f.remaining > 0 && f.match(String(path)));
    if (fault === undefined) return;
    fault.remaining--;
    throw fault.error();
  }

  open(path: Path | string, options?: OpenOptions): Promise<File> {
    return this.inner.open(path, options);
  }
  stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    return this.inner.stat(path, options);
  }
  async *list(dir: Path | string, options?: ListOptions): AsyncIterable<FileMeta> {
    this.#check("list", dir);
    yield* this.inner.list(dir, options);
  }
  createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    return this.inner.createDirAll(path, options);
  }
  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    this.#check("remove", path);
    return this.inner.remove(path, options);
  }
  copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return this.inner.copy(from, to, options);
  }
  link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return this.inner.link(from, to, options);
  }
  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    this.#check("loadWithTag", path);
    return this.inner.loadWithTag(path, options);
  }
  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options?: PutConditionalOptions,
  ): Promise<string> {
    this.#check("putConditional", path);
    return this.inner.putConditional(path, data, when, options);
  }
}

/** A transient I/O error, like a reset connection. */
export function transientError(): FusioError {
  return new FusioError("Io", "injected transient failure", { backend: "test" });
}

/** A lost CAS race. */
export function conflictError(): FusioError {
  return new FusioError("PreconditionFailed", "injected conflict", { backend: "test" });
}

/** A fatal error (not retried). */
export function fatalError(): FusioError {
  return new FusioError("PermissionDenied", "injected fatal failure", { backend: "test" });
}

/** The internals' shared context for a manifest at prefix `m`, for tests of single stores. */
export function contextOf(
  fs: CasFs,
  clock: TestClock,
  backoff: Partial<ManifestContext["backoff"]> = {},
): ManifestContext {
  return {
    fs,
    layout: new Layout("m"),
    clock,
    backoff: { ...fastBackoff, maxElapsedMs: 0, maxTotalSleepMs: 0, ...backoff },
    retention: { checkpointsKeepLast: 2, checkpointsMinTtlMs: 60_000, segmentsMinTtlMs: 30_000, leaseTtlMs: 60_000 },
  };
}
