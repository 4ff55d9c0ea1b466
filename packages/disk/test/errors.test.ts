import { type ErrorKind, FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { errnoKind, fromErrno } from "../src/internal/errors.ts";

const TABLE: Array<[code: string, kind: ErrorKind, retryable: boolean]> = [
  ["ENOENT", "NotFound", false],
  ["EEXIST", "AlreadyExists", false],
  ["ENOTEMPTY", "AlreadyExists", false],
  ["EACCES", "PermissionDenied", false],
  ["EPERM", "PermissionDenied", false],
  ["EROFS", "PermissionDenied", false],
  ["EISDIR", "IsADirectory", false],
  ["ENOTDIR", "NotADirectory", false],
  ["EBADF", "Closed", false],
  ["EINVAL", "InvalidArgument", false],
  ["ENAMETOOLONG", "InvalidPath", false],
  ["ELOOP", "InvalidPath", false],
  ["ETIMEDOUT", "Timeout", true],
  ["ECANCELED", "Aborted", false],
  ["EXDEV", "Unsupported", false],
  ["ENOTSUP", "Unsupported", false],
  ["EOPNOTSUPP", "Unsupported", false],
  ["ENOSYS", "Unsupported", false],
  ["ENOSPC", "Io", false],
  ["EDQUOT", "Io", false],
  ["EFBIG", "Io", false],
  ["EIO", "Io", false],
  ["EMFILE", "Io", true],
  ["ENFILE", "Io", true],
  ["EAGAIN", "Io", true],
  ["EBUSY", "Io", true],
  ["EINTR", "Io", true],
  ["ESOMETHINGNEW", "Io", false],
];

describe("errno mapping", () => {
  it.each(TABLE)("%s -> %s (retryable %s)", (code, kind, retryable) => {
    expect(errnoKind(code)).toBe(kind);
    const native = Object.assign(new Error(`${code}: failed, open '/secret/root/a.bin'`), { code, syscall: "open" });
    const error = fromErrno(native, { op: "open", path: "a.bin", backend: "node" });
    expect(FusioError.is(error, kind)).toBe(true);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(native);
    expect(error.op).toBe("open");
    expect(error.path).toBe("a.bin");
    expect(error.backend).toBe("node");
    // The message names the code and call, not the absolute path under the root.
    expect(error.message).toContain(code);
    expect(error.message).not.toContain("/secret/root");
  });

  it("an error without a code is Io, and a FusioError passes through unchanged", () => {
    expect(fromErrno(new Error("boom"), { op: "x" }).kind).toBe("Io");
    expect(errnoKind(undefined)).toBe("Io");
    const original = new FusioError("Closed", "closed");
    expect(fromErrno(original, { op: "x" })).toBe(original);
  });

  it("real errors from node:fs map through the same table", async () => {
    const { promises } = await import("node:fs");
    const error = await promises.readFile("/definitely/not/here").catch((caught: unknown) => caught);
    expect(fromErrno(error, { op: "read" }).kind).toBe("NotFound");
  });
});
