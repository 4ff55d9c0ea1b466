import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

// The Workers binding throws plain errors whose message ends with R2's numeric code, e.g.
// "get: The requested range is not satisfiable (10039)"; inside workerd the error may also
// carry it as `code`. https://developers.cloudflare.com/r2/api/error-codes/
const KINDS: ReadonlyMap<number, { kind: ErrorKind; retryable?: boolean }> = new Map([
  [10001, { kind: "Remote", retryable: true }], // InternalError
  [10002, { kind: "PermissionDenied" }], // Unauthorized
  [10003, { kind: "PermissionDenied" }], // AccessDenied
  [10004, { kind: "Unsupported" }], // NotImplemented
  [10006, { kind: "NotFound" }], // NoSuchBucket
  [10007, { kind: "NotFound" }], // NoSuchKey
  [10011, { kind: "InvalidArgument" }], // EntityTooSmall (a non-final part under 5 MiB)
  [10012, { kind: "InvalidArgument" }], // MetadataTooLarge
  [10020, { kind: "InvalidPath" }], // InvalidObjectName
  [10022, { kind: "InvalidArgument" }], // InvalidMaxKeys
  [10024, { kind: "Remote" }], // NoSuchUpload
  [10025, { kind: "Remote" }], // InvalidPart
  [10029, { kind: "InvalidArgument" }], // InvalidArgument
  [10031, { kind: "PreconditionFailed" }], // PreconditionFailed
  [10035, { kind: "PermissionDenied" }], // SignatureDoesNotMatch
  [10037, { kind: "Remote" }], // BadDigest
  [10039, { kind: "UnexpectedEof" }], // InvalidRange: the range starts at or past the end
  [10042, { kind: "PermissionDenied" }], // NotEntitled
  [10043, { kind: "Remote", retryable: true }], // ServiceUnavailable
  [10048, { kind: "InvalidArgument" }], // BadUpload: non-final parts of unequal size
  [10054, { kind: "Io", retryable: true }], // ClientDisconnect
  [10058, { kind: "RateLimited" }], // TooManyRequests
  [100100, { kind: "InvalidArgument" }], // EntityTooLarge
]);

/** R2's numeric error code of a binding error, from `code` or the end of the message. */
export function r2ErrorCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && Number.isInteger(code)) return code;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== "string") return undefined;
  const match = /\((\d{5,6})\)\s*$/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Maps anything the binding threw to a FusioError; FusioErrors pass through unchanged. */
export function fromR2Error(error: unknown, context: ErrorContext): FusioError {
  if (FusioError.is(error)) return error;
  const code = r2ErrorCode(error);
  const known = code === undefined ? undefined : KINDS.get(code);
  const message = error instanceof Error ? error.message : String(error);
  if (known) {
    return new FusioError(known.kind, message, { ...context, retryable: known.retryable, cause: error });
  }
  if (code !== undefined) return new FusioError("Remote", message, { ...context, cause: error });
  // The binding rejects malformed arguments (e.g. a quoted etag in `onlyIf`) with a TypeError.
  const kind: ErrorKind = error instanceof TypeError ? "InvalidArgument" : "Io";
  return new FusioError(kind, message, { ...context, cause: error });
}
