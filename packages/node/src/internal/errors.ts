import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

// Each kind, then the errno codes (as node:fs reports them in `error.code`) that map to it.
const TABLE =
  "NotFound ENOENT,AlreadyExists EEXIST ENOTEMPTY,PermissionDenied EACCES EPERM EROFS,IsADirectory EISDIR," +
  "NotADirectory ENOTDIR,Closed EBADF,InvalidArgument EINVAL,InvalidPath ENAMETOOLONG ELOOP,Timeout ETIMEDOUT," +
  "Aborted ECANCELED,Unsupported EXDEV ENOTSUP EOPNOTSUPP ENOSYS,Io ENOSPC EDQUOT EFBIG EIO EMFILE ENFILE EAGAIN EBUSY EINTR";

/**
 * errno codes (as node:fs reports them in `error.code`) to fusio kinds; anything else is `Io`.
 * Bun and Deno report the same codes, so `@fusio/bun` and `@fusio/deno` use this table (through
 * `@fusio/node/disk`) and add only their own cases.
 */
export const ERRNO_KINDS: Readonly<Record<string, ErrorKind>> = Object.freeze(
  Object.fromEntries(
    TABLE.split(",").flatMap((group) => {
      const [kind, ...codes] = group.split(" ");
      return codes.map((code) => [code, kind as ErrorKind]);
    }),
  ),
);

// Conditions that go away by themselves: too many open files, a busy or interrupted call.
const RETRYABLE = /^E(?:[MN]FILE|AGAIN|BUSY|INTR|TIMEDOUT)$/;

/** The errno code of a native error (`"ENOENT"`, ...), or undefined. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The fusio kind of an errno code; unknown codes are `Io`. */
export function errnoKind(code: string | undefined): ErrorKind {
  return (code !== undefined && ERRNO_KINDS[code]) || "Io";
}

/**
 * Wraps a native file-system error in a FusioError with the kind of its errno. The message
 * names the code and the system call but not the absolute path (the root stays private); the
 * native error is the `cause`. A FusioError passes through unchanged.
 */
export function fromErrno(error: unknown, context: ErrorContext): FusioError {
  if (FusioError.is(error)) return error;
  const code = errnoCode(error);
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  const message =
    code === undefined
      ? error instanceof Error
        ? error.message
        : String(error)
      : typeof syscall === "string"
        ? `${code} (${syscall})`
        : code;
  return new FusioError(errnoKind(code), message, { ...context, cause: error, retryable: RETRYABLE.test(code ?? "") });
}

// Network failures of the undici HttpClient (`@fusio/node/http`): undici's own codes, and the
// errno codes of sockets and DNS.
const NETWORK: Readonly<Record<string, readonly [ErrorKind, boolean]>> = {
  UND_ERR_CONNECT_TIMEOUT: ["Timeout", true],
  UND_ERR_HEADERS_TIMEOUT: ["Timeout", true],
  UND_ERR_BODY_TIMEOUT: ["Timeout", true],
  ETIMEDOUT: ["Timeout", true],
  UND_ERR_ABORTED: ["Aborted", false],
  UND_ERR_ABORT: ["Aborted", false],
  ABORT_ERR: ["Aborted", false],
  UND_ERR_SOCKET: ["Io", true],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ["Io", true],
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: ["InvalidArgument", false],
  UND_ERR_INVALID_ARG: ["InvalidArgument", false],
  ERR_INVALID_URL: ["InvalidArgument", false],
  UND_ERR_NOT_SUPPORTED: ["Unsupported", false],
  UND_ERR_CLOSED: ["Closed", false],
  UND_ERR_DESTROYED: ["Closed", false],
  ECONNRESET: ["Io", true],
  ECONNREFUSED: ["Io", true],
  ECONNABORTED: ["Io", true],
  EPIPE: ["Io", true],
  EHOSTUNREACH: ["Io", true],
  ENETUNREACH: ["Io", true],
  EAI_AGAIN: ["Io", true],
  ENOTFOUND: ["Io", false],
};

/** The kind and retryability of a network error code; unknown codes are non-retryable `Io`. */
export function networkKind(code: string | undefined): readonly [ErrorKind, boolean] {
  if (code?.startsWith("HPE_")) return ["Remote", false]; // the server broke HTTP/1.1 framing
  return (code !== undefined && NETWORK[code]) || ["Io", false];
}

/**
 * Wraps an undici or socket error in a FusioError. The context's path must already be free of
 * query strings (they may hold signatures or SAS tokens).
 */
export function fromNetworkError(error: unknown, context: ErrorContext): FusioError {
  if (FusioError.is(error)) return error;
  // undici wraps socket errors (UND_ERR_SOCKET) around the errno error in `cause`.
  const code = errnoCode(error) ?? errnoCode((error as { cause?: unknown } | null)?.cause);
  const [kind, retryable] = networkKind(code);
  return new FusioError(kind, code ?? (error instanceof Error ? error.name : "network error"), {
    ...context,
    cause: error,
    retryable,
  });
}
