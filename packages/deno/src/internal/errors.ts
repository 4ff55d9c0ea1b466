// Deno's native errors -> fusio kinds, in one place. `Deno.*` APIs throw the classes in
// `Deno.errors` (matched here by name, so this module needs no Deno types); Deno's node:fs
// throws Node-style errors with the errno name in `code`; a call the permission sandbox refuses
// throws `Deno.errors.NotCapable` (Deno 2) with no code. fetch failures are TypeErrors whose
// messages and causes hold the request URL, so those are rebuilt without it: a URL may carry a
// signature or SAS token.
import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";
import { ERRNO_KINDS, errnoCode, errnoKind, fromErrno } from "@fusio/disk";
import { sanitizeError as sanitize } from "@fusio/http";

// URLs are stripped by the same code as FetchHttpClient's own errors.
export { sanitizeError as sanitize, stripUrls } from "@fusio/http";

/** `Deno.errors` class names -> kind. */
export const DENO_ERROR_KINDS: Readonly<Record<string, ErrorKind>> = Object.freeze({
  NotFound: "NotFound",
  PermissionDenied: "PermissionDenied",
  NotCapable: "PermissionDenied",
  AlreadyExists: "AlreadyExists",
  IsADirectory: "IsADirectory",
  NotADirectory: "NotADirectory",
  FilesystemLoop: "InvalidPath",
  BadResource: "Closed",
  UnexpectedEof: "UnexpectedEof",
  NotSupported: "Unsupported",
  InvalidData: "Io",
  TimedOut: "Timeout",
  Interrupted: "Io",
  WriteZero: "Io",
  WouldBlock: "Io",
  Busy: "Io",
  BrokenPipe: "Io",
  ConnectionRefused: "Io",
  ConnectionReset: "Io",
  ConnectionAborted: "Io",
  NotConnected: "Io",
  AddrInUse: "Io",
  AddrNotAvailable: "Io",
  NetworkUnreachable: "Io",
  Http: "Io",
});

/** errno names (as in `error.code`) -> kind, for Deno's node:fs: @fusio/disk's table. */
export { ERRNO_KINDS };

/** `Deno.errors` that may go away when repeated: interrupted, busy, timed out, a dropped connection. */
const RETRYABLE: ReadonlySet<string> = new Set([
  "Interrupted",
  "WouldBlock",
  "Busy",
  "TimedOut",
  "ConnectionRefused",
  "ConnectionReset",
  "ConnectionAborted",
  "BrokenPipe",
]);

/** The `Deno.errors` class name of `error` (matched by name), or undefined. */
function denoErrorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return error instanceof Error && typeof name === "string" && name in DENO_ERROR_KINDS && name !== "Error"
    ? name
    : undefined;
}

/**
 * The kind of a native error: a `Deno.errors` class by its name first (a NotCapable has no
 * code), then the errno name in `code`; anything else is `Io`.
 */
export function kindOf(error: unknown): ErrorKind {
  const name = denoErrorName(error);
  return name !== undefined ? (DENO_ERROR_KINDS[name] as ErrorKind) : errnoKind(errnoCode(error));
}

/** True when the sandbox refused the call (`--allow-read` / `--allow-write` / `--allow-net` missing). */
export function isNotCapable(error: unknown): boolean {
  return error instanceof Error && error.name === "NotCapable";
}

/**
 * A native file-system error as a FusioError (the native error kept as `cause`): a `Deno.errors`
 * class by its name, anything else (node:fs errno errors) through @fusio/disk's `fromErrno`.
 */
export function fsError(error: unknown, context: ErrorContext): FusioError {
  const errno = fromErrno(error, context);
  const name = denoErrorName(error);
  if (name === undefined || FusioError.is(error)) return errno;
  return new FusioError(DENO_ERROR_KINDS[name] as ErrorKind, errnoCode(error) ?? name, {
    ...context,
    retryable: RETRYABLE.has(name) || errno.retryable,
    cause: error,
  });
}

/**
 * A fetch failure (not an abort or timeout) as a FusioError, with no URL anywhere in it: `Io`
 * (retryable: the connection failed or dropped), or `PermissionDenied` when the sandbox refused
 * the host (`--allow-net`).
 */
export function transportError(error: unknown, context: ErrorContext): FusioError {
  if (isNotCapable(error)) {
    return new FusioError("PermissionDenied", "the Deno sandbox refused network access", {
      ...context,
      cause: sanitize(error),
    });
  }
  return new FusioError("Io", "request failed", { ...context, retryable: true, cause: sanitize(error) });
}

/**
 * The `PermissionDenied` error for a FusioError whose cause (at any depth) is the sandbox's
 * `NotCapable`, keeping its context; undefined for any other error. The local-disk code shared
 * with NodeFs and BunFs (`@fusio/disk`) maps by errno and sees a NotCapable (which has none) as `Io`.
 */
export function permissionError(error: unknown): FusioError | undefined {
  if (!FusioError.is(error) || error.kind === "PermissionDenied") return undefined;
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause !== undefined; depth++) {
    if (isNotCapable(cause)) {
      return new FusioError("PermissionDenied", "the Deno sandbox refused access", {
        op: error.op,
        path: error.path,
        backend: error.backend,
        cause,
      });
    }
    cause = (cause as { cause?: unknown } | null)?.cause;
  }
  return undefined;
}
