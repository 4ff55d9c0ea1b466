import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";
import { excerpt } from "./answer.ts";

/**
 * What a remote backend learned from an error response, kept as the `cause` of the
 * `FusioError` it raises so that {@link withRetry} can honour `Retry-After`.
 * Never holds credentials or signatures.
 */
export interface RemoteErrorDetails {
  /** The HTTP status. */
  readonly status: number;
  /** The service's error code, e.g. S3's `NoSuchKey`, Azure's `BlobNotFound`. */
  readonly code?: string | undefined;
  /** The service's message. */
  readonly message?: string | undefined;
  /** The request id the service reported, for support requests. */
  readonly requestId?: string | undefined;
  /** How long the server asked us to wait before repeating, in milliseconds (`Retry-After`). */
  readonly retryAfterMs?: number | undefined;
}

/**
 * A `FusioError` for an HTTP error response, with {@link RemoteErrorDetails} as its cause.
 * `retryable` defaults to true for `RateLimited` and `Timeout` (as `FusioError` does). The
 * server's code, message and request id are cut to short excerpts (`EXCERPT_LENGTH`), in the
 * message and in the details. A 3xx without a message says that fusio does not follow redirects.
 */
export function remoteError(
  kind: ErrorKind,
  details: RemoteErrorDetails,
  context: ErrorContext,
  retryable?: boolean,
): FusioError {
  const cut = (text: string | undefined): string | undefined => (text === undefined ? undefined : excerpt(text));
  const short: RemoteErrorDetails = {
    ...details,
    code: cut(details.code),
    message: cut(details.message),
    requestId: cut(details.requestId),
  };
  const what = [short.code, short.message].filter((part) => part !== undefined && part !== "").join(": ");
  const id = short.requestId ? ` (request id ${short.requestId})` : "";
  return new FusioError(kind, `${what || fallbackMessage(details.status)}${id}`, {
    ...context,
    status: details.status,
    retryable,
    cause: short,
  });
}

/** What an error response without a code or message says by its status alone (a HEAD has no body). */
function fallbackMessage(status: number): string {
  if (status >= 300 && status < 400) {
    return `the server redirected the request (status ${status}); fusio does not follow redirects`;
  }
  if (status === 401 || status === 403) {
    return `access denied (status ${status}): check the credentials and the bucket's or container's access policy`;
  }
  return `the server answered with status ${status}`;
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
