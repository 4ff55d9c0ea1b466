/**
 * What went wrong, as a closed set. Code branches on `kind`, never on message text.
 *
 * - `NotFound`: the path does not exist (open without `create`, stat, copy source, ...).
 * - `AlreadyExists`: the target exists and the operation needed it not to.
 * - `PreconditionFailed`: a conditional write's condition did not hold (CAS).
 * - `UnexpectedEof`: a read reached past the end of the file; no partial data was returned.
 * - `Unsupported`: the backend cannot do this (its `capabilities` say so).
 * - `InvalidPath`: a path string failed {@link Path.parse} or a segment was rejected.
 * - `InvalidArgument`: a position, length, buffer or option was not acceptable.
 * - `Closed`: the file handle was already closed.
 * - `Aborted`: the caller's `AbortSignal` fired.
 * - `PermissionDenied`: the OS or the server refused, or the handle was not opened for this.
 * - `IsADirectory` / `NotADirectory`: a file operation met a directory, or the reverse.
 * - `RateLimited`: the server asked to slow down (retryable).
 * - `Timeout`: a configured timeout expired (retryable).
 * - `Remote`: the server answered with an error that has no better kind.
 * - `Io`: any other I/O failure.
 */
export type ErrorKind =
  | "NotFound"
  | "AlreadyExists"
  | "PreconditionFailed"
  | "UnexpectedEof"
  | "Unsupported"
  | "InvalidPath"
  | "InvalidArgument"
  | "Closed"
  | "Aborted"
  | "PermissionDenied"
  | "IsADirectory"
  | "NotADirectory"
  | "RateLimited"
  | "Timeout"
  | "Remote"
  | "Io";

/** Context attached to a {@link FusioError}. Never put credentials, signatures or tokens here. */
export interface FusioErrorOptions {
  /** The operation that failed, e.g. `"open"`, `"readExactAt"`, `"putConditional"`. */
  op?: string | undefined;
  /** The path (storage key) the operation was about. */
  path?: string | undefined;
  /** The backend that raised it: an `Fs.kind` such as `"memory"`, `"node"`, `"s3"`. */
  backend?: string | undefined;
  /** The HTTP status of the response that caused it, for remote backends. */
  status?: number | undefined;
  /** Whether repeating the same request may succeed. Defaults to true for `RateLimited` and `Timeout`. */
  retryable?: boolean | undefined;
  /** The underlying error (errno error, HTTP error, ...). */
  cause?: unknown;
}

const MARKER: unique symbol = Symbol.for("@fusio/core/FusioError");

/**
 * The one error type every fusio backend rejects with.
 *
 * Recognise it with {@link FusioError.is} rather than `instanceof`: the check works even when
 * two copies of `@fusio/core` are installed side by side.
 */
export class FusioError extends Error {
  /** What went wrong; see {@link ErrorKind}. */
  declare readonly kind: ErrorKind;
  /** The operation that failed. */
  declare readonly op: string | undefined;
  /** The path the operation was about. */
  declare readonly path: string | undefined;
  /** The backend kind that raised the error. */
  declare readonly backend: string | undefined;
  /** HTTP status, for errors that came from a server response. */
  declare readonly status: number | undefined;
  /** Whether repeating the same request may succeed. */
  declare readonly retryable: boolean;

  constructor(kind: ErrorKind, message: string, options: FusioErrorOptions = {}) {
    super(formatMessage(kind, message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.op = options.op;
    this.path = options.path;
    this.backend = options.backend;
    this.status = options.status;
    this.retryable = options.retryable ?? (kind === "RateLimited" || kind === "Timeout");
    this.name = "FusioError";
  }

  /**
   * True when `error` is a FusioError (from any installed copy of `@fusio/core`), and, when
   * `kind` is given, of that kind.
   */
  static is(error: unknown, kind?: ErrorKind): error is FusioError {
    return (
      (error as { [MARKER]?: unknown } | null | undefined)?.[MARKER] === true &&
      (kind === undefined || (error as FusioError).kind === kind)
    );
  }
}

// On the prototype, keyed by a registered symbol: recognisable across duplicate installs.
Object.defineProperty(FusioError.prototype, MARKER, { value: true });

function formatMessage(kind: ErrorKind, message: string, options: FusioErrorOptions): string {
  const { backend, op, path, status } = options;
  const where = [backend, op, path === undefined ? "" : JSON.stringify(path)].filter(Boolean).join(" ");
  return `${kind}${where && ` [${where}]`}: ${message}${status === undefined ? "" : ` (HTTP ${status})`}`;
}
