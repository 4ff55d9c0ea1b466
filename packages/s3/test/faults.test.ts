// Faults between S3Fs and the real server: errors, resets, stalls and truncated bodies on GET,
// PUT, UploadPart and Complete. Reads and writes succeed within the retry budget or fail with the
// right kind; no partial object becomes visible; no multipart upload is left open.
import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import type { S3Fs } from "@fusio/s3";
import { FaultProxy, type ProxiedRequest } from "@fusio-internal/test-support/fault-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, expectBytes, openUploads, testFs, uniquePrefix } from "./helpers.ts";

/** Which S3 call a request through the proxy is. */
const on = {
  get: ({ method, url }: ProxiedRequest): boolean => method === "GET" && !url.search.includes("list-type"),
  put: ({ method, url }: ProxiedRequest): boolean =>
    method === "PUT" && !url.searchParams.has("uploadId") && !url.search.includes("x-amz-copy"),
  uploadPart: ({ method, url }: ProxiedRequest): boolean => method === "PUT" && url.searchParams.has("partNumber"),
  complete: ({ method, url }: ProxiedRequest): boolean => method === "POST" && url.searchParams.has("uploadId"),
  create: ({ method, url }: ProxiedRequest): boolean => method === "POST" && url.searchParams.has("uploads"),
};

const PART = 5 * 1024 * 1024;
const slowDown = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>r</RequestId></Error>`;
const internal = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>r</RequestId></Error>`;
const denied = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`;

let proxy: FaultProxy;
let fs: S3Fs;
const prefix = uniquePrefix("faults");

beforeAll(async () => {
  proxy = await new FaultProxy(config.endpoint).start();
  fs = testFs({
    endpoint: proxy.endpoint,
    partSize: PART,
    concurrency: 2,
    timeout: 4_000,
    retry: { maxAttempts: 4, baseDelay: 5, maxDelay: 20 },
  });
});

afterAll(async () => {
  await proxy.stop();
});

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return FusioError.is(error) ? error.kind : String(error);
  }
}

async function write(path: string, data: Uint8Array, signal?: AbortSignal): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: true });
  for (let offset = 0; offset < data.length; offset += 1_000_000) {
    await file.writeAll(data.subarray(offset, offset + 1_000_000));
  }
  await file.close(signal ? { signal } : undefined);
}

async function read(path: string): Promise<Uint8Array> {
  const file = await fs.open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

describe("reads", () => {
  const path = `${prefix}/read.bin`;
  const data = bytes(200_000, 3);
  beforeAll(async () => {
    proxy.reset();
    await write(path, data);
  });

  it.each([
    ["503 SlowDown", { kind: "status", status: 503, body: slowDown }],
    ["500 InternalError", { kind: "status", status: 500, body: internal }],
    ["a connection reset", { kind: "reset" }],
    ["a stalled response", { kind: "stall" }],
    ["a truncated body", { kind: "truncate", bytes: 1000 }],
  ] as const)("a ranged GET survives %s", async (_name, fault) => {
    const file = await fs.open(path);
    proxy.reset();
    proxy.inject(on.get, fault, 1);
    const buf = new Uint8Array(50_000);
    await file.readExactAt(buf, 1234);
    expectBytes(buf, data.subarray(1234, 51_234));
    proxy.inject(on.get, fault, 1);
    expectBytes(await file.readToEndAt(0), data);
    await file.close();
  });

  it("persistent 503s exhaust the retry budget and reject RateLimited", async () => {
    const file = await fs.open(path);
    proxy.reset();
    proxy.inject(on.get, { kind: "status", status: 503, body: slowDown }, 10);
    expect(await kindOf(file.readExactAt(new Uint8Array(10), 0))).toBe("RateLimited");
    proxy.reset();
    await file.close();
  });

  it("a server that ignores Range still yields the right bytes", async () => {
    const file = await fs.open(path);
    proxy.reset();
    proxy.inject(on.get, { kind: "drop-range" }, 2);
    const buf = new Uint8Array(1000);
    await file.readExactAt(buf, 150_000);
    expectBytes(buf, data.subarray(150_000, 151_000));
    expectBytes(await file.readToEndAt(199_000), data.subarray(199_000));
    await file.close();
  });

  it("a wrong Content-Range is an error, never the wrong bytes", async () => {
    const file = await fs.open(path);
    proxy.reset();
    proxy.inject(on.get, { kind: "shift-range" }, 1);
    expect(await kindOf(file.readExactAt(new Uint8Array(100), 10))).toBe("Remote");
    await file.close();
  });
});

describe("writes", () => {
  it.each([
    ["503 SlowDown", { kind: "status", status: 503, body: slowDown }],
    ["a connection reset", { kind: "reset" }],
    ["a stalled response", { kind: "stall" }],
  ] as const)("a single PUT survives %s", async (name, fault) => {
    const path = `${prefix}/put-${name.replace(/\W/g, "")}.bin`;
    proxy.reset();
    proxy.inject(on.put, fault, 1);
    const data = bytes(10_000, 5);
    await write(path, data);
    expectBytes(await read(path), data);
  });

  it.each([
    ["UploadPart 503", on.uploadPart, { kind: "status", status: 503, body: slowDown }],
    ["UploadPart reset", on.uploadPart, { kind: "reset" }],
    ["UploadPart stall", on.uploadPart, { kind: "stall" }],
    ["CreateMultipartUpload 503", on.create, { kind: "status", status: 503, body: slowDown }],
    ["Complete 500", on.complete, { kind: "status", status: 500, body: internal }],
    ["Complete reset", on.complete, { kind: "reset" }],
    ["Complete 200 with an error inside", on.complete, { kind: "status", status: 200, body: internal }],
  ] as const)("a multipart upload survives %s", async (name, match, fault) => {
    const path = `${prefix}/mp-${name.replace(/\W/g, "")}.bin`;
    proxy.reset();
    proxy.inject(match, fault, 1);
    const data = bytes(2 * PART + 777, 7);
    await write(path, data);
    expect(proxy.injected.some((entry) => entry.endsWith(` -> ${fault.kind}`))).toBe(true);
    expectBytes(await read(path), data);
    expect(await openUploads(path)).toEqual([]);
  });

  it.each([
    ["UploadPart always denied", on.uploadPart, { kind: "status", status: 403, body: denied }, "PermissionDenied"],
    ["UploadPart always 503", on.uploadPart, { kind: "status", status: 503, body: slowDown }, "RateLimited"],
    ["Complete always 200-with-error", on.complete, { kind: "status", status: 200, body: internal }, "Remote"],
  ] as const)("%s: close rejects, nothing is visible, no upload stays open", async (name, match, fault, kind) => {
    const path = `${prefix}/fail-${name.replace(/\W/g, "")}.bin`;
    proxy.reset();
    proxy.inject(match, fault, 100);
    expect(await kindOf(write(path, bytes(2 * PART + 5, 9)))).toBe(kind);
    proxy.reset();
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
    expect(await openUploads(path)).toEqual([]);
  });

  it("a failed append leaves the old object untouched", async () => {
    const path = `${prefix}/append-fail.bin`;
    proxy.reset();
    const first = bytes(PART + 10, 11);
    await write(path, first);
    proxy.inject(on.complete, { kind: "status", status: 403, body: denied }, 100);
    const file = await fs.open(path, { write: true });
    await file.writeAll(bytes(100, 12));
    expect(await kindOf(file.close())).toBe("PermissionDenied");
    proxy.reset();
    expectBytes(await read(path), first);
    expect(await openUploads(path)).toEqual([]);
  });

  it("aborting close mid-upload rejects Aborted and aborts the upload server-side", async () => {
    const path = `${prefix}/abort.bin`;
    proxy.reset();
    // Slow the parts down so the abort lands while they are in flight.
    proxy.inject(on.uploadPart, { kind: "stall" }, 2);
    const controller = new AbortController();
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(2 * PART + 1, 13));
    setTimeout(() => controller.abort(), 100);
    expect(await kindOf(file.close({ signal: controller.signal }))).toBe("Aborted");
    proxy.reset();
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
    expect(await openUploads(path)).toEqual([]);
  });

  it("a conditional PUT is not repeated after an ambiguous reset", async () => {
    const path = `${prefix}/cas.json`;
    proxy.reset();
    proxy.inject(on.put, { kind: "reset" }, 1);
    expect(await kindOf(fs.putConditional(path, new Uint8Array([1]), { ifNotExists: true }))).toBe("Io");
    proxy.reset();
    proxy.inject(on.put, { kind: "status", status: 503, body: slowDown }, 1);
    expect(typeof (await fs.putConditional(path, new Uint8Array([2]), { ifNotExists: true }))).toBe("string");
  });
});
