import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { expect } from "vitest";

/** A fresh temp directory; `cleanup` removes it. */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `fusio-disk-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
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
