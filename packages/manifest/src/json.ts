import { FusioError } from "@fusio/core";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What every manifest error names as its backend. */
export const BACKEND = "manifest";

const corruptErrors = new WeakSet<Error>();

/**
 * A document that does not parse or lacks a field: kind `Io`, since the stored bytes are bad.
 * Retrying cannot help, so the retry loops recognise it with {@link isCorrupt}.
 */
export function corrupt(op: string, key: string, message: string, cause?: unknown): FusioError {
  const error = new FusioError("Io", `corrupt manifest document: ${message}`, {
    op,
    path: key,
    backend: BACKEND,
    retryable: false,
    cause,
  });
  corruptErrors.add(error);
  return error;
}

/** Whether `error` came from {@link corrupt}. */
export function isCorrupt(error: unknown): boolean {
  return error instanceof Error && corruptErrors.has(error);
}

/** Serialises a document as compact JSON bytes, the way serde_json::to_vec does. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses JSON bytes; bad bytes raise a corrupt-document error naming `key`. */
export function decodeJson(bytes: Uint8Array, op: string, key: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw corrupt(op, key, "not JSON", error);
  }
}

/** A non-negative integer field (a u64 on the Rust side). */
export function u64Field(document: unknown, field: string, op: string, key: string): number {
  const value = (document as Record<string, unknown> | null)?.[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw corrupt(op, key, `field "${field}" is not a non-negative integer`);
  }
  return value;
}

/** An optional (`Option<u64>`) integer field: null or missing reads as undefined. */
export function optionalU64Field(document: unknown, field: string, op: string, key: string): number | undefined {
  const value = (document as Record<string, unknown> | null)?.[field];
  return value === null || value === undefined ? undefined : u64Field(document, field, op, key);
}

/** An optional (`Option<String>`) string field: null or missing reads as undefined. */
export function optionalStringField(document: unknown, field: string, op: string, key: string): string | undefined {
  const value = (document as Record<string, unknown> | null)?.[field];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") throw corrupt(op, key, `field "${field}" is not a string`);
  return value;
}

/** A required string field. */
export function stringField(document: unknown, field: string, op: string, key: string): string {
  const value = optionalStringField(document, field, op, key);
  if (value === undefined) throw corrupt(op, key, `field "${field}" is missing`);
  return value;
}

/** A required array field. */
export function arrayField(document: unknown, field: string, op: string, key: string): unknown[] {
  const value = (document as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(value)) throw corrupt(op, key, `field "${field}" is not an array`);
  return value;
}
