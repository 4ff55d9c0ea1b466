// What the service's answers are checked for before they are believed: byte counts, ranges and
// the headers a call needs (DESIGN.md, "Trust nothing a server says").
import { type ErrorContext, FusioError } from "@fusio/core";

/** A `FusioError` `Remote` for an answer that cannot be right. */
export function badAnswer(message: string, context: ErrorContext, cause?: unknown): FusioError {
  return new FusioError("Remote", message, { ...context, cause });
}

/**
 * A `Remote` error for a header the call needs: in a browser, a header the CORS rule does not
 * expose looks missing, so the message says so.
 */
export function missingHeader(name: string, context: ErrorContext): FusioError {
  return badAnswer(`the response has no usable ${name} header (in a browser, the CORS rule must expose it)`, context);
}

/** A byte count as the service writes it (decimal digits), or undefined unless it is a safe integer. */
export function byteCount(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  const count = Number(text);
  return Number.isSafeInteger(count) ? count : undefined;
}

/** The `Content-Length` of a response. @throws FusioError `Remote` when it is missing or not a byte count. */
export function contentLength(headers: { get(name: string): string | null }, context: ErrorContext): number {
  const length = byteCount(headers.get("content-length"));
  if (length === undefined) throw missingHeader("Content-Length", context);
  return length;
}

/** A `Content-Range` header: bytes `start` to `end` (inclusive) of `total` (undefined for `*`). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly total: number | undefined;
}

/** Parses `bytes <start>-<end>/<total|*>`; undefined unless the numbers are safe and consistent. */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value ?? "");
  if (match === null) return undefined;
  const start = byteCount(match[1]);
  const end = byteCount(match[2]);
  const total = match[3] === "*" ? undefined : byteCount(match[3]);
  if (start === undefined || end === undefined || end < start) return undefined;
  if (match[3] !== "*" && (total === undefined || end >= total)) return undefined;
  return { start, end, total };
}

/**
 * Runs `parse` on a server's text; any exception but a `FusioError` (a `RangeError` from a
 * character reference outside Unicode, a `URIError` from a bad percent-escape, ...) becomes
 * `Remote` naming `what`.
 */
export function parseAnswer<T>(what: string, parse: () => T, context: ErrorContext): T {
  try {
    return parse();
  } catch (error) {
    if (FusioError.is(error)) throw error;
    throw badAnswer(`${what} is not readable`, context, error);
  }
}

/** A date header or element, or undefined when it is missing or not a date. */
export function dateOf(text: string | null | undefined): Date | undefined {
  if (text === null || text === undefined || text === "") return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A listed blob's size. @throws Error (mapped to `Remote` by the caller) unless it is a byte count. */
export function listedSize(text: string | undefined): number {
  const size = byteCount(text);
  if (size === undefined) throw new Error("a listed size is not a byte count");
  return size;
}
