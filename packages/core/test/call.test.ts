import {
  beginCall,
  beginOpen,
  beginPutConditional,
  beginReadFile,
  checkFileCall,
  FusioError,
  fileContext,
  Path,
} from "@fusio/core";
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

describe("beginOpen", () => {
  const fs = { kind: "test", capabilities: { sync: ["data"] as const } };

  it("parses the path and normalises the options", () => {
    const { path, context, open } = beginOpen(fs, "a/b", { create: true });
    expect(path.raw).toBe("a/b");
    expect(context).toEqual({ op: "open", path: "a/b", backend: "test" });
    expect([open.write, open.create, open.truncate, open.append]).toEqual([true, true, false, true]);
  });

  it("refuses the root, a sync level the backend lacks, and bad options before any I/O", () => {
    expect(kindOf(() => beginOpen(fs, "/"))).toBe("IsADirectory");
    expect(kindOf(() => beginOpen(fs, "a", { write: true, syncOnClose: "all" }))).toBe("Unsupported");
    expect(kindOf(() => beginOpen(fs, "a", { write: true, syncOnClose: "data" }))).toBeUndefined();
    expect(kindOf(() => beginOpen(fs, "a", { read: false }))).toBe("InvalidArgument");
    expect(kindOf(() => beginOpen(fs, "a//b"))).toBe("InvalidPath");
  });
});

describe("beginReadFile", () => {
  it("checks the path, the signal and the root, in that order, and names the call readFile", () => {
    const signal = AbortSignal.abort();
    expect(kindOf(() => beginReadFile("test", "a//b", signal))).toBe("InvalidPath");
    expect(kindOf(() => beginReadFile("test", "/", signal))).toBe("Aborted");
    expect(kindOf(() => beginReadFile("test", "/", undefined))).toBe("IsADirectory");
    expect(kindOf(() => beginReadFile("test", ""))).toBe("IsADirectory");
    const { path, context } = beginReadFile("test", "/a/b");
    expect(path.raw).toBe("a/b");
    expect(context).toEqual({ op: "readFile", path: "a/b", backend: "test" });
  });
});

describe("beginPutConditional", () => {
  it("checks the path, the data, the condition, the signal and the root, in that order", () => {
    const controller = new AbortController();
    controller.abort();
    const data = new Uint8Array(1);
    const when = { ifNotExists: true } as const;
    expect(kindOf(() => beginPutConditional("test", "a//b", "x" as never, when, controller.signal))).toBe(
      "InvalidPath",
    );
    expect(kindOf(() => beginPutConditional("test", "a", "x" as never, when, controller.signal))).toBe(
      "InvalidArgument",
    );
    expect(kindOf(() => beginPutConditional("test", "a", data, {} as never, controller.signal))).toBe(
      "InvalidArgument",
    );
    expect(kindOf(() => beginPutConditional("test", "/", data, when, controller.signal))).toBe("Aborted");
    expect(kindOf(() => beginPutConditional("test", "/", data, when, undefined))).toBe("IsADirectory");
    expect(beginPutConditional("test", "a", data, when, undefined).context).toEqual({
      op: "putConditional",
      path: "a",
      backend: "test",
    });
  });
});
