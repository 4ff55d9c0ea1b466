// Bun's native errors -> fusio kinds, in one place. Bun reports file-system failures (node:fs,
// Bun.file, FileSink) with the libc errno name in `code`, and fetch failures with a code such
// as `ECONNREFUSED` or Bun's own `ConnectionClosed`. Messages and causes are rebuilt without
// the request URL: Bun puts it in `error.path`, and a URL may carry a signature or SAS token.
import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";
import { ERRNO_KINDS, errnoKind, fromErrno } from "@fusio/disk";
import { sanitizeError as sanitize } from "@fusio/http";

// URLs are stripped by the same code as FetchHttpClient's own errors.
export { sanitizeError as sanitize, stripUrls } from "@fusio/http";

/** errno names (as in `error.code`) -> kind: @fusio/disk's table. Anything else is `Io`. */
export { ERRNO_KINDS };

/** The kind for a native error's `code` (errno name). */
export function kindOfCode(code: unknown): ErrorKind {
  return errnoKind(typeof code === "string" ? code : undefined);
}

/**
 * A native file-system error as a FusioError (the native error kept as `cause`): Bun's node:fs,
 * Bun.file and FileSink report errno names, so this is @fusio/disk's `fromErrno`.
 */
export function fsError(error: unknown, context: ErrorContext): FusioError {
  return fromErrno(error, context);
}

/**
 * fetch failure codes that are worth repeating: the connection was refused, reset or dropped
 * before an answer. Bun uses errno names and a few of its own.
 */
export const RETRYABLE_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ConnectionClosed",
  "ConnectionRefused",
  "FailedToOpenSocket",
]);

/** A fetch failure (not an abort or timeout) as a FusioError `Io`, with no URL anywhere in it. */
export function transportError(error: unknown, context: ErrorContext): FusioError {
  const code = (error as { code?: unknown } | null)?.code;
  const kind: ErrorKind = code === "ETIMEDOUT" ? "Timeout" : "Io";
  return new FusioError(kind, typeof code === "string" ? `request failed: ${code}` : "request failed", {
    ...context,
    retryable: typeof code === "string" && RETRYABLE_TRANSPORT_CODES.has(code),
    cause: sanitize(error),
  });
}
