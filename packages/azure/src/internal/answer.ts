// What the service's answers are checked for before they are believed: byte counts, ranges and
// the headers a call needs (DESIGN.md, "Trust nothing a server says").
import type { ErrorContext } from "@fusio/core";
import { missingHeader } from "@fusio/http/answer";

/** A byte count as the service writes it (decimal digits), or undefined unless it is a safe integer. */
export function byteCount(text: string | null | undefined): number | undefined {
  const count = Number(text);
  return /^\d{1,16}$/.test(text ?? "") && Number.isSafeInteger(count) ? count : undefined;
}

/** The `Content-Length` of a response. @throws FusioError `Remote` when it is missing or not a byte count. */
export function contentLength(headers: { get(name: string): string | null }, context: ErrorContext): number {
  const length = byteCount(headers.get("content-length"));
  if (length === undefined) throw missingHeader("Content-Length", "the answer", context);
  return length;
}

/** A `Content-Range` header: bytes `start` to `end` (inclusive) of `total` (undefined for `*`). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total: number | undefined;
}

/**
 * Parses `bytes <start>-<end>/<total|*>` (`end` is `start - 1` for the empty range at the end);
 * undefined unless the numbers are safe and consistent.
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value ?? "");
  const start = byteCount(match?.[1]);
  const end = byteCount(match?.[2]);
  const total = byteCount(match?.[3]);
  if (start === undefined || end === undefined) return undefined;
  // Azurite answers a range that starts at the blob's end with `bytes <size>-<size - 1>/<size>`: empty.
  if (end < start && !(end + 1 === start && total === start)) return undefined;
  return match?.[3] === "*" || end < (total ?? 0) ? { start, end, total } : undefined;
}

/** A date header or element, or undefined when it is missing or not a date. */
export function dateOf(text: string | null | undefined): Date | undefined {
  if (text === null || text === undefined || text === "") return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
