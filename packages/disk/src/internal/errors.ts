import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

/**
 * errno codes (as node:fs reports them in `error.code`) to fusio kinds; anything else is `Io`.
 * Bun and Deno report the same codes, so `@fusio/bun` and `@fusio/deno` use this table and add
 * only their own cases.
 */
export const ERRNO_KINDS: Readonly<Record<string, ErrorKind>> = Object.freeze({
  ENOENT: "NotFound",
  EEXIST: "AlreadyExists",
  ENOTEMPTY: "AlreadyExists",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
  EROFS: "PermissionDenied",
  EISDIR: "IsADirectory",
  ENOTDIR: "NotADirectory",
  EBADF: "Closed",
  EINVAL: "InvalidArgument",
  ENAMETOOLONG: "InvalidPath",
  ELOOP: "InvalidPath",
  ETIMEDOUT: "Timeout",
  ECANCELED: "Aborted",
  EXDEV: "Unsupported",
  ENOTSUP: "Unsupported",
  EOPNOTSUPP: "Unsupported",
  ENOSYS: "Unsupported",
  ENOSPC: "Io",
  EDQUOT: "Io",
  EFBIG: "Io",
  EIO: "Io",
  EMFILE: "Io",
  ENFILE: "Io",
  EAGAIN: "Io",
  EBUSY: "Io",
  EINTR: "Io",
});

/** Conditions that go away by themselves: too many open files, a busy or interrupted call, a timeout. */
const RETRYABLE: ReadonlySet<string> = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY", "EINTR", "ETIMEDOUT"]);

/** The errno code of a native error (`"ENOENT"`, ...), or undefined. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The fusio kind of an errno code; unknown codes are `Io`. */
export function errnoKind(code: string | undefined): ErrorKind {
  return code !== undefined && Object.hasOwn(ERRNO_KINDS, code) ? (ERRNO_KINDS[code] as ErrorKind) : "Io";
}

/** True for errno codes that mean "this path does not exist" (a missing file or parent). */
export function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Wraps a native file-system error in a FusioError with the kind of its errno. The message
 * names the code and the system call but not the absolute path (the root stays private); the
 * native error is the `cause`. A FusioError passes through unchanged.
 */
export function fromErrno(error: unknown, context: ErrorContext): FusioError {
  if (FusioError.is(error)) return error;
  const code = errnoCode(error);
  return new FusioError(errnoKind(code), messageOf(error, code), {
    ...context,
    cause: error,
    retryable: code !== undefined && RETRYABLE.has(code),
  });
}

function messageOf(error: unknown, code: string | undefined): string {
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const syscall = (error as { syscall?: unknown }).syscall;
  return typeof syscall === "string" ? `${code} (${syscall})` : code;
}
