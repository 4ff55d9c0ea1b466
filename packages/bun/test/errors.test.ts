import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { afterAll, describe, expect, it } from "vitest";
import { ERRNO_KINDS, fsError, kindOfCode, sanitize, stripUrls, transportError } from "../src/internal/errors.ts";

interface BunFileApi {
  file(path: string): { text(): Promise<string>; writer(): { write(data: Uint8Array): number; end(): unknown } };
  write(path: string, data: Uint8Array): Promise<number>;
}
const Bun = (globalThis as unknown as { Bun: BunFileApi }).Bun;
const dir = mkdtempSync(join(tmpdir(), "fusio-bun-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("errno table", () => {
  it.each([
    ["ENOENT", "NotFound"],
    ["EEXIST", "AlreadyExists"],
    ["ENOTEMPTY", "AlreadyExists"],
    ["EACCES", "PermissionDenied"],
    ["EPERM", "PermissionDenied"],
    ["EROFS", "PermissionDenied"],
    ["EISDIR", "IsADirectory"],
    ["ENOTDIR", "NotADirectory"],
    ["EBADF", "Closed"],
    ["EINVAL", "InvalidArgument"],
    ["ENAMETOOLONG", "InvalidPath"],
    ["ELOOP", "InvalidPath"],
    ["EXDEV", "Unsupported"],
    ["ENOTSUP", "Unsupported"],
    ["EOPNOTSUPP", "Unsupported"],
    ["ENOSYS", "Unsupported"],
    ["ETIMEDOUT", "Timeout"],
    ["ENOSPC", "Io"],
    ["EIO", "Io"],
    ["SOMETHING_NEW", "Io"],
    [undefined, "Io"],
    [42, "Io"],
  ])("%s -> %s", (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
    expect(fsError(Object.assign(new Error("x"), { code }), { op: "t" }).kind).toBe(kind);
  });

  it("lists every code the tests name", () => {
    expect(Object.keys(ERRNO_KINDS).length).toBe(27); // @fusio/disk's table, shared since the merge
  });
});

describe("real errors inside Bun", () => {
  it("node:fs and Bun.file report ENOENT for a missing file -> NotFound", async () => {
    let nodeError: unknown;
    try {
      openSync(join(dir, "missing"), "r");
    } catch (error) {
      nodeError = error;
    }
    expect(fsError(nodeError, { op: "open" }).kind).toBe("NotFound");
    let bunError: unknown;
    try {
      await Bun.file(join(dir, "missing")).text();
    } catch (error) {
      bunError = error;
    }
    expect(fsError(bunError, { op: "open" }).kind).toBe("NotFound");
  });

  it("Bun.write into a path whose parent is a file -> NotADirectory", async () => {
    writeFileSync(join(dir, "plain"), "x");
    let bunError: unknown;
    try {
      await Bun.write(join(dir, "plain", "child"), new Uint8Array(1));
    } catch (error) {
      bunError = error;
    }
    expect(fsError(bunError, { op: "write" }).kind).toBe("NotADirectory");
  });

  it("Bun.file().text() on a directory -> IsADirectory", async () => {
    let bunError: unknown;
    try {
      await Bun.file(dir).text();
    } catch (error) {
      bunError = error;
    }
    expect(fsError(bunError, { op: "read" }).kind).toBe("IsADirectory");
  });

  it("a FusioError passes through unchanged", () => {
    const error = new FusioError("Closed", "closed");
    expect(fsError(error, { op: "t" })).toBe(error);
  });
});

describe("transport errors", () => {
  it.each([
    ["ECONNREFUSED", "Io", true],
    ["ECONNRESET", "Io", true],
    ["ConnectionClosed", "Io", true],
    ["FailedToOpenSocket", "Io", true],
    ["ETIMEDOUT", "Timeout", true],
    ["CERT_HAS_EXPIRED", "Io", false],
    [undefined, "Io", false],
  ])("%s -> %s (retryable %s)", (code, kind, retryable) => {
    const error = transportError(Object.assign(new TypeError("x"), { code }), { op: "http GET" });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
  });

  it("strips query strings and credentials from URLs in messages and causes", () => {
    expect(stripUrls("failed (https://user:pw@host:9000/bucket/key?X-Amz-Signature=abc&sig=def): reset")).toBe(
      "failed (https://host:9000/bucket/key): reset",
    );
    const native = Object.assign(new TypeError("for http://h/k?sig=SECRET"), {
      code: "ECONNRESET",
      path: "http://h/k?sig=SECRET",
      cause: new Error("inner http://h/k?sig=SECRET"),
    });
    const clean = sanitize(native);
    expect(clean.name).toBe("TypeError");
    expect((clean as { code?: string }).code).toBe("ECONNRESET");
    expect(`${clean.message} ${(clean.cause as Error).message} ${JSON.stringify(clean)}`.includes("SECRET")).toBe(
      false,
    );
  });
});
