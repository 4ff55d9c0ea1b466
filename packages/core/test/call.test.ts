import { beginCall, checkFileCall, FusioError, fileContext, Path } from "@fusio/core";
import { describe, expect, it } from "vitest";

function kindOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return FusioError.is(error) ? error.kind : "not a FusioError";
  }
}

describe("beginCall", () => {
  it("parses the path and names the call in the context", () => {
    const { path, context } = beginCall("memory", "stat", "/a/b/");
    expect(path.equals(Path.parse("a/b"))).toBe(true);
    expect(context).toEqual({ op: "stat", path: "a/b", backend: "memory" });
  });

  it("takes a Path as it is", () => {
    const given = Path.from("héllo");
    expect(beginCall("memory", "open", given).path).toBe(given);
  });

  it("rejects a bad path with InvalidPath naming the call and backend", () => {
    let caught: unknown;
    try {
      beginCall("s3", "open", "bucket//key");
    } catch (error) {
      caught = error;
    }
    expect(FusioError.is(caught, "InvalidPath")).toBe(true);
    expect(caught).toMatchObject({ op: "open", backend: "s3", path: "bucket//key" });
  });

  it("rejects a value that is neither a Path nor a string with InvalidPath", () => {
    expect(kindOf(() => beginCall("memory", "stat", 42 as unknown as string))).toBe("InvalidPath");
  });

  it("rejects an aborted signal with Aborted, after the path is checked", () => {
    const controller = new AbortController();
    controller.abort();
    expect(kindOf(() => beginCall("memory", "stat", "a", controller.signal))).toBe("Aborted");
    expect(kindOf(() => beginCall("memory", "stat", "a/../b", controller.signal))).toBe("InvalidPath");
  });
});

describe("checkFileCall", () => {
  const context = fileContext("memory", "writeAll", Path.parse("a"));
  const readOnly = { closed: false, open: { read: true, write: false } };

  it("passes an open handle with the access asked for", () => {
    expect(kindOf(() => checkFileCall(readOnly, "read", undefined, context))).toBeUndefined();
    expect(kindOf(() => checkFileCall(readOnly, undefined, undefined, context))).toBeUndefined();
  });

  it("refuses in order: Aborted, then Closed, then PermissionDenied", () => {
    const controller = new AbortController();
    controller.abort();
    const closed = { ...readOnly, closed: true };
    expect(kindOf(() => checkFileCall(closed, "write", controller.signal, context))).toBe("Aborted");
    expect(kindOf(() => checkFileCall(closed, "write", undefined, context))).toBe("Closed");
    expect(kindOf(() => checkFileCall(readOnly, "write", undefined, context))).toBe("PermissionDenied");
  });
});

describe("Path.equals and Path.compare", () => {
  it("refuse values that are neither a Path nor a string", () => {
    expect(kindOf(() => Path.parse("undefined").equals(undefined as unknown as string))).toBe("InvalidPath");
    expect(kindOf(() => Path.compare(Path.ROOT, null as unknown as string))).toBe("InvalidPath");
  });
});
