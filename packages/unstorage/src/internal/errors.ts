import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

// Drivers throw whatever their client throws: Node errno errors (fs), ofetch's FetchError with a
// `status` (http, and most HTTP-based drivers), unstorage's own `createError` for invalid keys,
// DOMException-like aborts. One table each, first match wins.
const ERRNO: Readonly<Record<string, ErrorKind>> = {
  ENOENT: "NotFound",
  EEXIST: "AlreadyExists",
  EISDIR: "IsADirectory",
  ENOTDIR: "NotADirectory",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
  EROFS: "PermissionDenied",
  ETIMEDOUT: "Timeout",
  ECONNRESET: "Io",
};

const STATUS: ReadonlyArray<readonly [test: (status: number) => boolean, kind: ErrorKind]> = [
  [(status) => status === 401 || status === 403, "PermissionDenied"],
  [(status) => status === 404, "NotFound"],
  [(status) => status === 408, "Timeout"],
  [(status) => status === 409 || status === 412, "PreconditionFailed"],
  [(status) => status === 429, "RateLimited"],
  [(status) => status >= 400, "Remote"],
];

const NAMES: Readonly<Record<string, ErrorKind>> = {
  AbortError: "Aborted",
  TimeoutError: "Timeout",
};

function statusOf(error: Record<string, unknown>): number | undefined {
  const response = error.response as Record<string, unknown> | undefined;
  for (const value of [error.status, error.statusCode, response?.status]) {
    if (typeof value === "number" && Number.isInteger(value)) return value;
  }
  return undefined;
}

/** The fusio kind for an error a driver threw. */
export function kindOf(error: unknown): { kind: ErrorKind; status?: number } {
  if (FusioError.is(error)) return { kind: error.kind };
  if (typeof error !== "object" || error === null) return { kind: "Io" };
  const record = error as Record<string, unknown>;
  const code = typeof record.code === "string" ? ERRNO[record.code] : undefined;
  if (code) return { kind: code };
  const name = typeof record.name === "string" ? NAMES[record.name] : undefined;
  if (name) return { kind: name };
  const status = statusOf(record);
  if (status !== undefined) {
    const match = STATUS.find(([test]) => test(status));
    if (match) return { kind: match[1], status };
  }
  // unstorage's createError: "[unstorage] [driver] Invalid key: ..."
  if (typeof record.message === "string" && /\bInvalid key\b/.test(record.message)) return { kind: "InvalidPath" };
  return { kind: "Io" };
}

/** Wraps what a driver threw in a FusioError with `context`; FusioErrors pass through unchanged. */
export function driverError(error: unknown, context: ErrorContext): FusioError {
  if (FusioError.is(error)) return error;
  const { kind, status } = kindOf(error);
  return new FusioError(kind, "the unstorage driver failed", { ...context, status, cause: error });
}
