// What remote backends use to check a server's answer before believing it (DESIGN.md, "Trust
// nothing a server says"): numbers, headers and parsed documents, turned into `Remote` errors
// instead of wrong values or raw exceptions.
import { type ErrorContext, FusioError } from "@fusio/core";

/** The longest piece of server text (a message, a code) quoted in an error message, in characters. */
export const EXCERPT_LENGTH: number = 200;

/** `text` cut to {@link EXCERPT_LENGTH} characters (an ellipsis marks the cut). */
export function excerpt(text: string, length: number = EXCERPT_LENGTH): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

/** A `Remote` error (not retryable) for an answer that makes no sense. */
export function invalidAnswer(message: string, context: ErrorContext, cause?: unknown): FusioError {
  return new FusioError("Remote", message, { ...context, cause });
}

/**
 * Runs `parse` on a server's answer: a `FusioError` it throws passes through, anything else
 * (`RangeError` from a character reference outside Unicode, `URIError` from a bad
 * percent-escape, a parser's plain `Error`) becomes `Remote`, naming `what` was being read.
 */
export function parseAnswer<T>(what: string, context: ErrorContext, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (FusioError.is(error)) throw error;
    throw invalidAnswer(`${what} is malformed`, context, error);
  }
}

/**
 * A length or size the server sent (a header, an XML field): a non-negative safe integer written
 * in decimal digits, else `Remote`. `name` says where it came from, e.g. `Content-Length`.
 */
export function parseLength(value: string | null | undefined, name: string, context: ErrorContext): number {
  const text = value?.trim() ?? "";
  const length = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(length)) {
    throw invalidAnswer(`the server sent ${name} ${JSON.stringify(excerpt(text, 32))}, not a length`, context);
  }
  return length;
}

/**
 * The `Remote` error for a response that lacks a header fusio needs. In a browser the header may
 * be there and hidden: a cross-origin response shows only the headers the bucket's or
 * container's CORS rule lists in `Access-Control-Expose-Headers`, so the message says so.
 */
export function missingHeader(header: string, response: string, context: ErrorContext): FusioError {
  return invalidAnswer(
    `${response} has no ${header} header (in a browser, the CORS rule must expose it: add ${header} to its ExposeHeaders / Access-Control-Expose-Headers)`,
    context,
  );
}
