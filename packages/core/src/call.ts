// The few lines every backend method starts with, written once: parse the path, name the call
// for its errors, and refuse early (aborted signal, closed file, handle opened without access).
import { FusioError } from "./errors.ts";
import type { Capabilities, CasCondition } from "./fs.ts";
import { type NormalizedOpenOptions, normalizeOpenOptions, type OpenOptions } from "./options.ts";
import { type Path, toPath } from "./path.ts";
import { type AbortSignalLike, type ErrorContext, throwIfAborted } from "./signal.ts";
import { checkBytes, checkCasCondition } from "./validate.ts";

/** What {@link beginCall} gives an `Fs` method: its path, parsed, and the context of its errors. */
export interface FsCall {
  readonly path: Path;
  readonly context: ErrorContext;
}

/**
 * For implementers: the start of an `Fs` method. Parses `path` the way every `Fs` method
 * must (see {@link toPath}), makes the error context `{ op, path, backend }`, and rejects when
 * the caller's signal has already fired.
 * @throws FusioError `InvalidPath` (naming `op` and `backend`), `Aborted`.
 */
export function beginCall(
  backend: string,
  op: string,
  path: Path | string,
  signal?: AbortSignalLike | undefined,
): FsCall {
  const parsed = toPath(path, { op, backend });
  const context: ErrorContext = { op, path: parsed.raw, backend };
  throwIfAborted(signal, context);
  return { path: parsed, context };
}

/** What {@link beginOpen} gives `Fs.open`: its path, error context and normalised options. */
export interface OpenCall extends FsCall {
  readonly open: NormalizedOpenOptions;
}

/**
 * For implementers: the start of `Fs.open`, before any I/O. {@link beginCall}, then
 * {@link normalizeOpenOptions}, then the refusals every backend makes: the root is not a file, and
 * a `syncOnClose` level the backend's `capabilities.sync` lacks cannot be honoured.
 * @throws FusioError `InvalidPath`, `Aborted`, `InvalidArgument`, `IsADirectory`, `Unsupported`.
 */
export function beginOpen(
  fs: { readonly kind: string; readonly capabilities: Pick<Capabilities, "sync"> },
  path: Path | string,
  options: OpenOptions = {},
): OpenCall {
  const { path: key, context } = beginCall(fs.kind, "open", path, options.signal);
  const open = normalizeOpenOptions(options);
  if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
  if (open.syncOnClose !== undefined && !fs.capabilities.sync.includes(open.syncOnClose)) {
    throw new FusioError("Unsupported", `${fs.kind} cannot sync "${open.syncOnClose}" on close`, context);
  }
  return { path: key, context, open };
}

/**
 * For implementers: the start of the optional `Fs.readFile`, before any I/O: {@link beginCall},
 * then the root refused, as {@link beginOpen} refuses it.
 * @throws FusioError `InvalidPath`, `Aborted`, `IsADirectory`.
 */
export function beginReadFile(backend: string, path: Path | string, signal?: AbortSignalLike | undefined): FsCall {
  const call = beginCall(backend, "readFile", path, signal);
  if (call.path.isRoot) throw new FusioError("IsADirectory", "the root is not a file", call.context);
  return call;
}

/**
 * For implementers: the start of `CasFs.putConditional`, before any I/O, in this order: the path
 * parsed, the data and the condition checked, the caller's signal, and the root refused.
 * @throws FusioError `InvalidPath`, `InvalidArgument`, `Aborted`, `IsADirectory`.
 */
export function beginPutConditional(
  backend: string,
  path: Path | string,
  data: Uint8Array,
  when: CasCondition,
  signal: AbortSignalLike | undefined,
): FsCall {
  const { path: key, context } = beginCall(backend, "putConditional", path);
  checkBytes(data, "data", context);
  checkCasCondition(when, context);
  throwIfAborted(signal, context);
  if (key.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
  return { path: key, context };
}

/** The state of an open file that {@link checkFileCall} looks at. */
export interface FileCallState {
  /** `close` has been called. */
  readonly closed: boolean;
  /** What the handle was opened for. */
  readonly open: Pick<NormalizedOpenOptions, "read" | "write">;
}

/** The error context of a call on the file at `path`. */
export function fileContext(backend: string, op: string, path: Path): ErrorContext {
  return { op, path: path.raw, backend };
}

/**
 * For implementers: the checks a `File` method makes before any effect, in this order: the
 * caller's signal has fired (`Aborted`), the file is closed (`Closed`), the handle was not
 * opened for `access` (`PermissionDenied`). `access` is `undefined` for calls any open handle
 * may make (`size`, `flush`, `sync`).
 * @throws FusioError `Aborted`, `Closed`, `PermissionDenied`.
 */
export function checkFileCall(
  file: FileCallState,
  access: "read" | "write" | undefined,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): void {
  throwIfAborted(signal, context);
  if (file.closed) throw new FusioError("Closed", "the file is closed", context);
  if (access !== undefined && !file.open[access]) {
    throw new FusioError(
      "PermissionDenied",
      `the file was not opened for ${access === "read" ? "reading" : "writing"}`,
      context,
    );
  }
}
