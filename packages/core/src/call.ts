// The few lines every backend method starts with, written once: parse the path, name the call
// for its errors, and refuse early (aborted signal, closed file, handle opened without access).
import { FusioError } from "./errors.ts";
import type { NormalizedOpenOptions } from "./options.ts";
import { type Path, toPath } from "./path.ts";
import { type AbortSignalLike, type ErrorContext, throwIfAborted } from "./signal.ts";

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
