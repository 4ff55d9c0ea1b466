import { type ErrorKind, FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";

describe("FusioError", () => {
  it("carries kind, context and cause", () => {
    const cause = new Error("ENOENT");
    const error = new FusioError("NotFound", "no such file", { op: "open", path: "a/b", backend: "node", cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FusioError");
    expect(error.kind).toBe("NotFound");
    expect(error.op).toBe("open");
    expect(error.path).toBe("a/b");
    expect(error.backend).toBe("node");
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("a/b");
  });

  it("is retryable by default only for RateLimited and Timeout", () => {
    const kinds: ErrorKind[] = ["RateLimited", "Timeout", "Remote", "Io", "NotFound"];
    expect(kinds.map((kind) => new FusioError(kind, "x").retryable)).toEqual([true, true, false, false, false]);
    expect(new FusioError("Remote", "x", { retryable: true, status: 503 }).retryable).toBe(true);
  });

  it("is recognised across duplicate installs by a registered symbol, not instanceof", () => {
    // What a second copy of @fusio/core would construct: another class, same marker.
    class OtherCopy extends Error {
      kind = "Closed";
    }
    Object.defineProperty(OtherCopy.prototype, Symbol.for("@fusio/core/FusioError"), { value: true });
    const foreign = new OtherCopy("closed");
    expect(foreign instanceof FusioError).toBe(false);
    expect(FusioError.is(foreign)).toBe(true);
    expect(FusioError.is(foreign, "Closed")).toBe(true);
    expect(FusioError.is(foreign, "NotFound")).toBe(false);
  });

  it("does not recognise other errors and values", () => {
    for (const value of [new Error("x"), { kind: "NotFound" }, null, undefined, "NotFound", 1]) {
      expect(FusioError.is(value)).toBe(false);
    }
  });
});
