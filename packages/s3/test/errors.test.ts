import { readFileSync } from "node:fs";
import type { ErrorKind } from "@fusio/core";
import { remoteDetails } from "@fusio/http";
import { describe, expect, it } from "vitest";
import { errorIn200, s3Error } from "../src/internal/errors.ts";

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Real Ceph RGW answers, recorded by signed requests (see the test names for what was sent). */
const recorded = JSON.parse(readFileSync(new URL("./__fixtures__/errors.json", import.meta.url), "utf8")) as Record<
  string,
  Recorded
>;

const aws = (code: string, message = ""): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>`;

const context = { op: "test", path: "k", backend: "s3" };

describe("s3Error maps recorded RGW responses", () => {
  it.each<[string, ErrorKind, boolean]>([
    ["NoSuchKey", "NotFound", false],
    ["NoSuchBucket", "NotFound", false],
    ["SignatureDoesNotMatch", "PermissionDenied", false],
    ["PreconditionFailed", "PreconditionFailed", false],
    ["InvalidRange", "UnexpectedEof", false],
    ["NoSuchUpload", "NotFound", false],
    ["NoSuchKeyOnHead", "NotFound", false],
  ])("%s -> %s", (name, kind, retryable) => {
    const response = recorded[name] as Recorded;
    const error = s3Error(response.status, new Headers(response.headers), response.body, context);
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(response.status);
    expect(remoteDetails(error)?.requestId).toBe(response.headers["x-amz-request-id"]);
    expect(error.message).not.toMatch(/AKIA|Signature=|wJalr/);
  });
});

describe("s3Error maps AWS's documented codes and bare statuses", () => {
  it.each<[number, string, ErrorKind, boolean]>([
    [503, aws("SlowDown", "Please reduce your request rate."), "RateLimited", true],
    [503, aws("ServiceUnavailable"), "RateLimited", true],
    [500, aws("InternalError", "We encountered an internal error. Please try again."), "Remote", true],
    [400, aws("RequestTimeout"), "Timeout", true],
    [409, aws("ConditionalRequestConflict"), "PreconditionFailed", true],
    [403, aws("AccessDenied", "Access Denied"), "PermissionDenied", false],
    [403, aws("InvalidAccessKeyId"), "PermissionDenied", false],
    [403, aws("RequestTimeTooSkewed"), "PermissionDenied", false],
    [400, aws("ExpiredToken"), "PermissionDenied", false],
    [400, aws("EntityTooSmall"), "InvalidArgument", false],
    [400, aws("InvalidPart"), "InvalidArgument", false],
    [400, aws("KeyTooLongError"), "InvalidPath", false],
    [501, aws("NotImplemented"), "Unsupported", false],
    [404, "", "NotFound", false],
    [403, "", "PermissionDenied", false],
    [412, "", "PreconditionFailed", false],
    [416, "", "UnexpectedEof", false],
    [429, "", "RateLimited", true],
    [500, "not xml at all", "Remote", true],
    [502, "<html>bad gateway</html>", "Remote", true],
    [503, "", "RateLimited", true],
    [400, aws("SomethingNew"), "Remote", false],
  ])("%i %s -> %s", (status, body, kind, retryable) => {
    const error = s3Error(status, new Headers(), body, context);
    expect([error.kind, error.retryable]).toEqual([kind, retryable]);
  });

  it("keeps Retry-After for the retry policy", () => {
    const error = s3Error(503, new Headers({ "retry-after": "2" }), aws("SlowDown"), context);
    expect(remoteDetails(error)?.retryAfterMs).toBe(2000);
  });

  it("finds an <Error> inside a 200 (CompleteMultipartUpload, CopyObject)", () => {
    const failure = errorIn200(aws("InternalError"), context);
    expect([failure?.kind, failure?.retryable]).toEqual(["Remote", true]);
    const ok = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Location>x</Location><Key>k</Key><ETag>"abc-2"</ETag></CompleteMultipartUploadResult>`;
    expect(errorIn200(ok, context)).toBe(undefined);
    expect(errorIn200("", context)).toBe(undefined);
  });
});
