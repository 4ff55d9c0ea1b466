import { type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";

/** What the failed call expected to find at the path, for `TypeMismatchError`. */
export type EntryKind = "file" | "directory";

// The DOMException names the File System API rejects with (https://fs.spec.whatwg.org), and what
// they mean here. `TypeMismatchError` depends on what the call expected (see `opfsError`).
const KINDS: Readonly<Record<string, { kind: ErrorKind; retryable?: boolean; meaning: string }>> = {
  NotFoundError: { kind: "NotFound", meaning: "no such file or directory" },
  // Another handle (in this or another worker, or a main-thread writer) holds the file's lock.
  NoModificationAllowedError: { kind: "Io", retryable: true, meaning: "the file is locked by another open handle" },
  // A directory that is not empty, or a change the browser refuses to make in place.
  InvalidModificationError: { kind: "Io", meaning: "the browser refused the change" },
  QuotaExceededError: { kind: "Io", meaning: "the origin's storage quota is used up" },
  // The user or the browser withheld access (permission prompt, blocked storage, opaque origin).
  NotAllowedError: { kind: "PermissionDenied", meaning: "access to the storage was not granted" },
  SecurityError: { kind: "PermissionDenied", meaning: "the browser blocks this origin's storage" },
  // A `File` snapshot whose file changed after it was taken, or a handle made stale.
  NotReadableError: { kind: "Io", retryable: true, meaning: "the file changed while it was read" },
  InvalidStateError: { kind: "Io", meaning: "the handle is no longer usable" },
  AbortError: { kind: "Aborted", meaning: "the operation was aborted" },
  // `getFileHandle` and `getDirectoryHandle` reject names the platform cannot store.
  TypeError: { kind: "InvalidPath", meaning: "the browser does not accept this name" },
};

/** The fusio kind for an error the File System API rejected with, and whether a retry may work. */
export function kindOf(error: unknown, expected: EntryKind = "file"): { kind: ErrorKind; retryable?: boolean } {
  if (FusioError.is(error)) return { kind: error.kind };
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === "TypeMismatchError") return { kind: expected === "file" ? "IsADirectory" : "NotADirectory" };
  const known = typeof name === "string" ? KINDS[name] : undefined;
  if (known === undefined) return { kind: "Io" };
  return known.retryable ? { kind: known.kind, retryable: true } : { kind: known.kind };
}

/**
 * Wraps what the File System API threw in a FusioError with `context`; FusioErrors pass through.
 * `expected` says whether the call wanted a file or a directory at the path.
 */
export function opfsError(error: unknown, context: ErrorContext, expected: EntryKind = "file"): FusioError {
  if (FusioError.is(error)) return error;
  const { kind, retryable } = kindOf(error, expected);
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  const meaning =
    name === "TypeMismatchError"
      ? expected === "file"
        ? "a directory is in the way"
        : "a file is in the way"
      : typeof name === "string"
        ? (KINDS[name]?.meaning ?? `the browser failed (${name})`)
        : "the browser failed";
  return new FusioError(kind, meaning, { ...context, retryable, cause: error });
}
