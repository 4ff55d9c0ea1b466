import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  DENO_ERROR_KINDS,
  ERRNO_KINDS,
  fsError,
  kindOf,
  sanitize,
  stripUrls,
  transportError,
} from "../src/internal/errors.ts";
import { Deno, thrown } from "./deno-api.ts";

const dir = mkdtempSync(join(tmpdir(), "fusio-deno-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Deno.errors table", () => {
  it.each(Object.entries(DENO_ERROR_KINDS))("new Deno.errors.%s() -> %s", (name, kind) => {
    const ErrorClass = Deno.errors[name];
    expect(typeof ErrorClass).toBe("function");
    expect(kindOf(new (ErrorClass as new (message: string) => Error)("x"))).toBe(kind);
  });

  it("covers every class in this Deno's Deno.errors", () => {
    expect(Object.keys(Deno.errors).filter((name) => !(name in DENO_ERROR_KINDS))).toEqual([]);
  });

  it("NotCapable (the permission sandbox) -> PermissionDenied", () => {
    expect(kindOf(new (Deno.errors.NotCapable as new (message: string) => Error)("x"))).toBe("PermissionDenied");
  });
});

describe("errno table (Deno's node:fs)", () => {
  it.each([...Object.entries(ERRNO_KINDS), ["ENOSPC", "Io"], ["SOMETHING_NEW", "Io"]])("%s -> %s", (code, kind) => {
    expect(kindOf(Object.assign(new Error("x"), { code }))).toBe(kind);
    expect(fsError(Object.assign(new Error("x"), { code }), { op: "t" }).kind).toBe(kind);
  });

  it("is not fooled by a plain Error named like a Deno class but carrying a code", () => {
    expect(kindOf(Object.assign(new Error("x"), { code: "ENOENT" }))).toBe("NotFound");
    expect(kindOf("not an error")).toBe("Io");
    expect(kindOf(undefined)).toBe("Io");
  });
});

describe("real errors inside Deno", () => {
  it("Deno.open on a missing file -> NotFound; node:fs too", async () => {
    expect(kindOf(await thrown(() => Deno.open(join(dir, "missing"))))).toBe("NotFound");
    expect(kindOf(await thrown(() => statSync(join(dir, "missing"))))).toBe("NotFound");
  });

  it("Deno.mkdir on an existing file -> AlreadyExists", async () => {
    writeFileSync(join(dir, "file"), "x");
    expect(kindOf(await thrown(() => Deno.mkdir(join(dir, "file"))))).toBe("AlreadyExists");
  });

  it("Deno.open under a file -> NotADirectory; reading a directory -> IsADirectory", async () => {
    writeFileSync(join(dir, "plain"), "x");
    expect(kindOf(await thrown(() => Deno.open(join(dir, "plain", "child"))))).toBe("NotADirectory");
    expect(kindOf(await thrown(() => Deno.readTextFile(dir)))).toBe("IsADirectory");
  });

  it("a FusioError passes through unchanged", () => {
    const error = new FusioError("Closed", "closed");
    expect(fsError(error, { op: "t" })).toBe(error);
  });
});

describe("transport errors", () => {
  it("a fetch TypeError -> Io, retryable, with no URL query left", () => {
    const native = new TypeError("fetch failed", {
      cause: new Error("error sending request for url (http://127.0.0.1:9/k?sig=SECRET): Connection refused"),
    });
    const error = transportError(native, { op: "http GET" });
    expect(error.kind).toBe("Io");
    expect(error.retryable).toBe(true);
    expect(((error.cause as Error).cause as Error).message).toBe(
      "error sending request for url (http://127.0.0.1:9/k): Connection refused",
    );
  });

  it("NotCapable from fetch -> PermissionDenied, not retryable", () => {
    const native = new (Deno.errors.NotCapable as new (message: string) => Error)(
      'Requires net access to "127.0.0.1:9", run again with the --allow-net flag',
    );
    const error = transportError(native, { op: "http GET" });
    expect(error.kind).toBe("PermissionDenied");
    expect(error.retryable).toBe(false);
  });

  it("strips query strings and credentials from URLs", () => {
    expect(stripUrls("(https://user:pw@host/b/k?X-Amz-Signature=abc)")).toBe("(https://host/b/k)");
    expect(JSON.stringify(sanitize(new Error("at http://h/k?sig=SECRET"))).includes("SECRET")).toBe(false);
  });
});
