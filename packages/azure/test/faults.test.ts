// Faults between AzureBlobFs and Azurite: retries succeed or fail with the right kind, and no
// partial blob ever becomes visible.
import type { AzureBlobFs } from "@fusio/azure";
import { bytes } from "@fusio/conformance";
import { type File, FusioError, type HttpClient, Path } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { type Fault, FaultProxy, type ProxiedRequest } from "@fusio-internal/test-support/fault-proxy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { azureFs, target } from "./helpers.ts";

const azure = target();
const endpointPath = new URL(azure.endpoint).pathname;
let proxy: FaultProxy;
const base = Path.parse(`faults-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
const at = (name: string): Path => base.join(name);
const blockSize = 64 * 1024;
const fast = { baseDelay: 5, maxDelay: 20 };

function throughProxy(options: Parameters<typeof azureFs>[0] = {}): AzureBlobFs {
  return azureFs({ endpoint: `${proxy.endpoint}${endpointPath}`, blockSize, concurrency: 2, retry: fast, ...options });
}

async function put(fs: AzureBlobFs, path: Path, data: Uint8Array): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: true });
  await file.writeAll(data);
  await file.close();
}

async function read(path: Path): Promise<Uint8Array> {
  const file = await azureFs().open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

/** The `comp` query of a Blob service call (`""` for none): `block`, `blocklist`, ... */
const comp = (request: ProxiedRequest): string => request.url.searchParams.get("comp") ?? "";
const is =
  (method: string, expected = "") =>
  (request: ProxiedRequest) =>
    request.method === method && comp(request) === expected;

/** Azure's answer to a failed call: the code in the body and in `x-ms-error-code`. */
function azureError(status: number, code: string, retryAfter?: string): Fault {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`;
  const headers: Record<string, string> = { "x-ms-error-code": code };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  return { kind: "status", status, body, headers };
}

beforeAll(async () => {
  // Requests are named `METHOD comp` in proxy.log, e.g. `PUT blocklist`, `GET`.
  const label = (request: ProxiedRequest): string => `${request.method} ${comp(request)}`.trim();
  proxy = await new FaultProxy(new URL(azure.endpoint).origin, { label }).start();
});
beforeEach(() => proxy.reset());
afterAll(async () => {
  await proxy.stop();
  const fs = azureFs();
  for await (const entry of fs.list(base, { recursive: true })) await fs.remove(entry.path);
});

describe.runIf(azure.emulator)("faults between AzureBlobFs and the server", () => {
  it("503 ServerBusy and 500 on Put Block are retried and the upload completes intact", async () => {
    proxy.inject(is("PUT", "block"), azureError(503, "ServerBusy"), 2);
    proxy.inject(is("PUT", "block"), azureError(500, "InternalError"), 1);
    const data = bytes(4 * blockSize + 3, 1);
    await put(throughProxy(), at("retried.bin"), data);
    expect(proxy.injected).toHaveLength(3);
    expect(Buffer.from(await read(at("retried.bin"))).equals(Buffer.from(data))).toBe(true);
  });

  it("a reset on Put Block List (answer lost after the commit) is retried into the same blob", async () => {
    const data = bytes(3 * blockSize, 2);
    const fs = throughProxy();
    const file = await fs.open(at("commit-reset.bin"), { create: true, truncate: true });
    await file.writeAll(data);
    proxy.inject(is("PUT", "blocklist"), { kind: "lose" }, 1);
    await file.close();
    expect(proxy.injected).toEqual(["PUT blocklist -> lose"]);
    expect(proxy.log.filter((entry) => entry === "PUT blocklist")).toHaveLength(2);
    expect(Buffer.from(await read(at("commit-reset.bin"))).equals(Buffer.from(data))).toBe(true);
  });

  it("a ranged read whose body is cut short, or whose connection resets, is retried", async () => {
    const data = bytes(100_000, 3);
    await put(azureFs(), at("read.bin"), data);
    const fs = throughProxy();
    const file = await fs.open(at("read.bin"));
    proxy.inject(is("GET"), { kind: "truncate", fraction: 0.5 }, 1);
    proxy.inject(is("GET"), { kind: "reset" }, 1);
    const buf = await file.readExactAt(new Uint8Array(50_000), 25_000);
    expect(Buffer.from(buf).equals(Buffer.from(data.subarray(25_000, 75_000)))).toBe(true);
    proxy.inject(is("GET"), { kind: "truncate", fraction: 0.3 }, 1);
    expect(Buffer.from(await file.readToEndAt(0)).equals(Buffer.from(data))).toBe(true);
    expect(proxy.injected).toEqual(["GET -> truncate", "GET -> reset", "GET -> truncate"]);
    await file.close();
  });

  it("a stalled server fails Timeout after the retries, and a single stall is retried", async () => {
    await put(azureFs(), at("stall.bin"), bytes(10));
    const fs = throughProxy({ timeout: 150, retry: { ...fast, maxAttempts: 2 } });
    proxy.inject(is("HEAD"), { kind: "stall" }, 1);
    expect((await fs.stat(at("stall.bin"))).size).toBe(10);
    proxy.inject(is("HEAD"), { kind: "stall" });
    await expect(fs.stat(at("stall.bin"))).rejects.toMatchObject({ kind: "Timeout" });
    expect(proxy.injected).toEqual(["HEAD -> stall", "HEAD -> stall", "HEAD -> stall"]);
  });

  it("a Put Block that keeps failing rejects close, and nothing becomes visible", async () => {
    proxy.inject(is("PUT", "block"), azureError(503, "ServerBusy"));
    const fs = throughProxy();
    const file = await fs.open(at("never.bin"), { create: true, truncate: true });
    let failure: unknown;
    try {
      await file.writeAll(bytes(5 * blockSize));
      await file.close();
    } catch (error) {
      failure = error;
      await file.close().catch(() => undefined);
    }
    expect(FusioError.is(failure, "RateLimited")).toBe(true);
    expect(proxy.log).not.toContain("PUT blocklist");
    await expect(azureFs().stat(at("never.bin"))).rejects.toMatchObject({ kind: "NotFound" });
  });

  it("an append falls back to copying through the client when the server cannot splice", async () => {
    const original = bytes(3 * blockSize + 5, 6);
    await put(azureFs(), at("fallback.bin"), original);
    const fromUrl = (request: ProxiedRequest) =>
      is("PUT", "block")(request) && request.headers["x-ms-copy-source"] !== undefined;
    proxy.inject(fromUrl, azureError(501, "APINotImplemented"));
    const file = await throughProxy().open(at("fallback.bin"), { write: true });
    await file.writeAll(Buffer.from("tail"));
    await file.close();
    expect(proxy.injected).toEqual(["PUT block -> status"]);
    expect(proxy.log.filter((entry) => entry === "GET")).toHaveLength(4); // the old bytes, block by block
    expect(Buffer.from(await read(at("fallback.bin"))).equals(Buffer.concat([original, Buffer.from("tail")]))).toBe(
      true,
    );
  });

  it("a failed append leaves the original blob untouched", async () => {
    const original = bytes(3 * blockSize + 5, 4);
    await put(azureFs(), at("append.bin"), original);
    // (Azurite cannot read a copy source through this proxy: splice through the client.)
    proxy.inject(
      (request) => is("PUT", "block")(request) && request.headers["x-ms-copy-source"] !== undefined,
      azureError(501, "APINotImplemented"),
    );
    proxy.inject(is("PUT", "blocklist"), azureError(500, "InternalError"));
    const file = await throughProxy().open(at("append.bin"), { write: true });
    await file.writeAll(bytes(2 * blockSize, 5));
    await expect(file.close()).rejects.toMatchObject({ kind: "Remote", status: 500 });
    expect(Buffer.from(await read(at("append.bin"))).equals(Buffer.from(original))).toBe(true);
  });

  it("putConditional retries a 503 but not a reset (ambiguous), and never writes twice", async () => {
    const fs = throughProxy();
    proxy.inject(is("PUT"), azureError(503, "ServerBusy", "0"), 1);
    const tag = await fs.putConditional(at("cas.json"), Buffer.from("v1"), { ifNotExists: true });
    expect(proxy.log.filter((entry) => entry === "PUT")).toHaveLength(2);
    proxy.inject(is("PUT"), { kind: "reset" }, 1);
    await expect(fs.putConditional(at("cas.json"), Buffer.from("v2"), { ifMatch: tag })).rejects.toMatchObject({
      kind: "Io",
    });
    expect(Buffer.from(await read(at("cas.json"))).toString()).toBe("v1");
  });

  it("copy waits for an asynchronous copy to finish, and rejects when it fails", async () => {
    // Azurite copies synchronously and cannot read a copy source through the proxy: play the
    // asynchronous answers by rewriting the real server's response headers in the transport.
    const data = bytes(10_000, 7);
    await put(azureFs(), at("copy-src.bin"), data);
    const plan: Array<{ method: string; status: string }> = [];
    const seen: string[] = [];
    const inner = new FetchHttpClient();
    const http: HttpClient = {
      async send(request) {
        const response = await inner.send(request);
        seen.push(request.method);
        const step = plan[0]?.method === request.method ? plan.shift() : undefined;
        if (step === undefined) return response;
        return {
          ...response,
          headers: {
            get: (name) => (name === "x-ms-copy-status" ? step.status : response.headers.get(name)),
            forEach: (callback) => response.headers.forEach(callback),
          },
        };
      },
    };
    const fs = azureFs({ http, retry: fast });
    plan.push(
      { method: "PUT", status: "pending" },
      { method: "HEAD", status: "pending" },
      { method: "HEAD", status: "pending" },
    );
    await fs.copy(at("copy-src.bin"), at("copy-dst.bin"));
    expect(seen).toEqual(["PUT", "HEAD", "HEAD", "HEAD"]);
    expect(Buffer.from(await read(at("copy-dst.bin"))).equals(Buffer.from(data))).toBe(true);
    plan.push({ method: "PUT", status: "pending" }, { method: "HEAD", status: "failed" });
    await expect(fs.copy(at("copy-src.bin"), at("copy-dst2.bin"))).rejects.toMatchObject({ kind: "Remote" });
  });

  /** Opens `name` and aborts a 6-block write while the server stalls every Put Block; resolves once it rejected Aborted. */
  async function abortStalledWrite(name: string): Promise<{ file: File; signal: AbortSignal }> {
    proxy.inject(is("PUT", "block"), { kind: "stall" });
    const file = await throughProxy({ timeout: 0 }).open(at(name), { create: true, truncate: true });
    const controller = new AbortController();
    const writing = file.writeAll(bytes(6 * blockSize), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(writing).rejects.toMatchObject({ kind: "Aborted" });
    return { file, signal: controller.signal };
  }

  it("aborting while blocks are stalled rejects Aborted at once and publishes nothing", async () => {
    const { file, signal } = await abortStalledWrite("aborted.bin");
    await expect(file.close({ signal })).rejects.toMatchObject({ kind: "Aborted" });
    await expect(azureFs().stat(at("aborted.bin"))).rejects.toMatchObject({ kind: "NotFound" });
    expect(proxy.log).not.toContain("PUT blocklist");
  });

  it("a write aborted part way fails the file: a later close without a signal publishes nothing", async () => {
    const { file } = await abortStalledWrite("aborted-then-closed.bin");
    await expect(file.close()).rejects.toMatchObject({ kind: "Aborted" });
    await expect(azureFs().stat(at("aborted-then-closed.bin"))).rejects.toMatchObject({ kind: "NotFound" });
    expect(proxy.log).not.toContain("PUT blocklist");
  });
});
