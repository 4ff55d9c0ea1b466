import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

// Network failures of the undici HttpClient: undici's own codes, and the errno codes of
// sockets and DNS. Each code maps to its kind and whether a retry can help.
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
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | null)?.cause);
  const [kind, retryable] = networkKind(code);
  return new FusioError(kind, code ?? (error instanceof Error ? error.name : "network error"), {
    ...context,
    cause: error,
    retryable,
  });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
