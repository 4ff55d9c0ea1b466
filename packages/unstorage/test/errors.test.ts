import { FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { driverError, kindOf } from "../src/internal/errors.ts";

const errno = (code: string): Error => Object.assign(new Error(code), { code });
const http = (status: number): Error => Object.assign(new Error(`HTTP ${status}`), { status });

describe("driver errors map to fusio kinds", () => {
  it.each([
    ["ENOENT", errno("ENOENT"), "NotFound"],
    ["EEXIST", errno("EEXIST"), "AlreadyExists"],
    ["EISDIR", errno("EISDIR"), "IsADirectory"],
    ["ENOTDIR", errno("ENOTDIR"), "NotADirectory"],
    ["EACCES", errno("EACCES"), "PermissionDenied"],
    ["EPERM", errno("EPERM"), "PermissionDenied"],
    ["EROFS", errno("EROFS"), "PermissionDenied"],
    ["ETIMEDOUT", errno("ETIMEDOUT"), "Timeout"],
    ["unknown errno", errno("EWHATEVER"), "Io"],
    ["AbortError", Object.assign(new Error("aborted"), { name: "AbortError" }), "Aborted"],
    ["TimeoutError", Object.assign(new Error("slow"), { name: "TimeoutError" }), "Timeout"],
    ["HTTP 401", http(401), "PermissionDenied"],
    ["HTTP 403", http(403), "PermissionDenied"],
    ["HTTP 404", http(404), "NotFound"],
    ["HTTP 408", http(408), "Timeout"],
    ["HTTP 409", http(409), "PreconditionFailed"],
    ["HTTP 412", http(412), "PreconditionFailed"],
    ["HTTP 429", http(429), "RateLimited"],
    ["HTTP 500", http(500), "Remote"],
    ["HTTP 503 as statusCode", Object.assign(new Error("x"), { statusCode: 503 }), "Remote"],
    ["ofetch response.status", Object.assign(new Error("x"), { response: { status: 404 } }), "NotFound"],
    [
      "unstorage invalid key",
      new Error('[unstorage] [fs] Invalid key: "a..". It should not contain .. segments'),
      "InvalidPath",
    ],
    ["plain Error", new Error("boom"), "Io"],
    ["a string", "boom", "Io"],
    ["null", null, "Io"],
  ] as const)("%s -> %s", (_, error, kind) => {
    expect(kindOf(error).kind).toBe(kind);
    const wrapped = driverError(error, { op: "open", path: "a/b", backend: "unstorage" });
    expect(FusioError.is(wrapped, kind)).toBe(true);
    expect(wrapped.cause).toBe(error);
  });

  it("keeps the HTTP status and passes FusioErrors through unchanged", () => {
    expect(driverError(http(429), { op: "stat" }).status).toBe(429);
    const original = new FusioError("Closed", "closed");
    expect(driverError(original, { op: "stat" })).toBe(original);
  });
});
