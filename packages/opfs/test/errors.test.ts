import { FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { kindOf, opfsError } from "../src/internal/errors.ts";

const dom = (name: string): DOMException => new DOMException(`the browser said ${name}`, name);
const context = { op: "open", path: "a/b", backend: "opfs" };

describe("File System API errors map to fusio kinds", () => {
  it.each([
    ["NotFoundError", dom("NotFoundError"), "file", "NotFound", false],
    ["TypeMismatchError, a file was expected", dom("TypeMismatchError"), "file", "IsADirectory", false],
    ["TypeMismatchError, a directory was expected", dom("TypeMismatchError"), "directory", "NotADirectory", false],
    ["NoModificationAllowedError (locked)", dom("NoModificationAllowedError"), "file", "Io", true],
    ["InvalidModificationError", dom("InvalidModificationError"), "file", "Io", false],
    ["QuotaExceededError", dom("QuotaExceededError"), "file", "Io", false],
    ["NotAllowedError", dom("NotAllowedError"), "file", "PermissionDenied", false],
    ["SecurityError", dom("SecurityError"), "file", "PermissionDenied", false],
    ["NotReadableError", dom("NotReadableError"), "file", "Io", true],
    ["InvalidStateError", dom("InvalidStateError"), "file", "Io", false],
    ["AbortError", dom("AbortError"), "file", "Aborted", false],
    ["TypeError (a name the browser refuses)", new TypeError("Name is not allowed."), "file", "InvalidPath", false],
    ["an unknown DOMException", dom("DataCloneError"), "file", "Io", false],
    ["a plain Error", new Error("boom"), "file", "Io", false],
    ["a string", "boom", "file", "Io", false],
    ["null", null, "file", "Io", false],
  ] as const)("%s -> %s", (_, error, expected, kind, retryable) => {
    expect(kindOf(error, expected).kind).toBe(kind);
    const mapped = opfsError(error, context, expected);
    expect(mapped.kind).toBe(kind);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.op).toBe("open");
    expect(mapped.path).toBe("a/b");
    expect(mapped.backend).toBe("opfs");
    expect(mapped.cause).toBe(error);
  });

  it("a FusioError passes through unchanged", () => {
    const error = new FusioError("PreconditionFailed", "stale", context);
    expect(opfsError(error, { op: "other" })).toBe(error);
    expect(kindOf(error).kind).toBe("PreconditionFailed");
  });
});
