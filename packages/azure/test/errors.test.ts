import { readFileSync } from "node:fs";
import type { ErrorKind } from "@fusio/core";
import { remoteDetails } from "@fusio/http";
import { describe, expect, it } from "vitest";
import { azureError, errorMapping } from "../src/internal/errors.ts";

const TABLE: Array<[status: number, code: string | undefined, kind: ErrorKind, retryable: boolean]> = [
  [404, "BlobNotFound", "NotFound", false],
  [404, "ContainerNotFound", "NotFound", false],
  [404, undefined, "NotFound", false],
  [409, "BlobAlreadyExists", "PreconditionFailed", false],
  [409, "LeaseIdMissing", "PermissionDenied", false],
  [409, undefined, "AlreadyExists", false],
  [412, "ConditionNotMet", "PreconditionFailed", false],
  [412, "SourceConditionNotMet", "PreconditionFailed", false],
  [412, undefined, "PreconditionFailed", false],
  [416, "InvalidRange", "UnexpectedEof", false],
  [403, "AuthenticationFailed", "PermissionDenied", false],
  [403, "AuthorizationPermissionMismatch", "PermissionDenied", false],
  [401, undefined, "PermissionDenied", false],
  [400, "InvalidResourceName", "InvalidPath", false],
  [400, "InvalidMetadata", "InvalidArgument", false],
  [400, undefined, "InvalidArgument", false],
  [503, "ServerBusy", "RateLimited", true],
  [500, "OperationTimedOut", "Timeout", true],
  [500, "InternalError", "Remote", true],
  [500, undefined, "Remote", true],
  [502, undefined, "Remote", true],
  [503, undefined, "Remote", true],
  [504, undefined, "Timeout", true],
  [408, undefined, "Timeout", true],
  [429, undefined, "RateLimited", true],
  [501, "APINotImplemented", "Unsupported", false],
  [500, "APINotImplemented", "Unsupported", false],
  [418, undefined, "Remote", false],
  [404, "toString", "NotFound", false],
];

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe("Azure errors to kinds", () => {
  it.each(TABLE)("%i %s -> %s (retryable %s)", (status, code, kind, retryable) => {
    expect(errorMapping(status, code)).toEqual({ kind, retryable });
    const error = azureError(status, headers(code === undefined ? {} : { "x-ms-error-code": code }), "", {
      op: "test",
      backend: "azure",
    });
    expect([error.kind, error.retryable, error.status]).toEqual([kind, retryable, status]);
  });

  it("reads the code and first message line from the XML body when the header is missing (recorded)", () => {
    const body = readFileSync(new URL("./__fixtures__/error-blob-not-found-azurite.xml", import.meta.url), "utf8");
    const error = azureError(404, headers({ "x-ms-request-id": "req-1" }), body, { op: "get" });
    expect(error.kind).toBe("NotFound");
    expect(remoteDetails(error)).toEqual({
      status: 404,
      code: "BlobNotFound",
      message: "The specified blob does not exist.",
      requestId: "req-1",
      retryAfterMs: undefined,
    });
  });

  it("honours Retry-After and survives a body that is not XML", () => {
    const error = azureError(503, headers({ "retry-after": "2" }), "Service Unavailable", { op: "get" });
    expect(error.kind).toBe("Remote");
    expect(error.retryable).toBe(true);
    expect(remoteDetails(error)?.retryAfterMs).toBe(2000);
  });
});
