import { type ErrorKind, FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { fromR2Error, r2ErrorCode } from "../src/internal/errors.ts";

const context = { op: "get", path: "a/b", backend: "r2-binding" };

// Messages as the binding words them: "<method>: <text> (<code>)".
const TABLE: [message: string, kind: ErrorKind, retryable: boolean][] = [
  ["get: We encountered an internal error. Please try again. (10001)", "Remote", true],
  ["put: Unauthorized (10002)", "PermissionDenied", false],
  ["put: Access Denied (10003)", "PermissionDenied", false],
  ["list: Not implemented (10004)", "Unsupported", false],
  ["get: The specified bucket does not exist. (10006)", "NotFound", false],
  ["get: The specified key does not exist. (10007)", "NotFound", false],
  [
    "completeMultipartUpload: Your proposed upload is smaller than the minimum allowed object size. (10011)",
    "InvalidArgument",
    false,
  ],
  ["put: Your metadata headers exceed the maximum allowed metadata size. (10012)", "InvalidArgument", false],
  ["put: The specified object name is not valid. (10020)", "InvalidPath", false],
  ["uploadPart: The specified multipart upload does not exist. (10024)", "Remote", false],
  ["completeMultipartUpload: One or more of the specified parts could not be found. (10025)", "Remote", false],
  ["put: At least one of the pre-conditions you specified did not hold. (10031)", "PreconditionFailed", false],
  ["get: The requested range is not satisfiable (10039)", "UnexpectedEof", false],
  ["put: Service unavailable (10043)", "Remote", true],
  ["completeMultipartUpload: There was a problem with the multipart upload. (10048)", "InvalidArgument", false],
  ["put: Reduce your concurrent request rate for the same object. (10058)", "RateLimited", true],
  ["put: Your proposed upload exceeds the maximum allowed object size. (100100)", "InvalidArgument", false],
  ["get: Something new (10999)", "Remote", false],
  ["get: Unspecified error (0)", "Io", false],
  ["network connection lost", "Io", false],
];

describe("binding errors map to kinds", () => {
  for (const [message, kind, retryable] of TABLE) {
    it(`${message} -> ${kind}`, () => {
      const cause = new Error(message);
      const error = fromR2Error(cause, context);
      expect(FusioError.is(error, kind)).toBe(true);
      expect(error.retryable).toBe(retryable);
      expect(error.cause).toBe(cause);
      expect(error.path).toBe("a/b");
      expect(error.backend).toBe("r2-binding");
    });
  }

  it("reads a numeric `code` property before the message", () => {
    const error = Object.assign(new Error("get: no such key"), { code: 10007 });
    expect(r2ErrorCode(error)).toBe(10007);
    expect(fromR2Error(error, context).kind).toBe("NotFound");
  });

  it("a TypeError from the binding (bad arguments) is InvalidArgument", () => {
    const error = new TypeError('Conditional ETag should not be wrapped in quotes ("x").');
    expect(fromR2Error(error, context).kind).toBe("InvalidArgument");
  });

  it("a FusioError passes through unchanged, and non-errors become Io", () => {
    const original = new FusioError("Aborted", "stop", context);
    expect(fromR2Error(original, context)).toBe(original);
    expect(fromR2Error("boom", context).kind).toBe("Io");
    expect(r2ErrorCode(undefined)).toBe(undefined);
  });
});
