import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { AzureBlobFs } from "@fusio/azure";
import { FusioError } from "@fusio/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizer } from "../src/credential.ts";

// A local HTTP endpoint that records what each request carried and answers 404 (Azure's shape),
// to see the Authorization header and query fusio sends for each credential.
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
const server = createServer((request, response) => {
  seen.push({ url: request.url ?? "", headers: request.headers });
  request.resume();
  response.writeHead(404, { "x-ms-error-code": "BlobNotFound" }).end();
});
let endpoint = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acct`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

class FakeTokens {
  calls = 0;
  scopes: unknown[] = [];
  constructor(private readonly lifetime: number) {}
  async getToken(scopes: string | string[]) {
    this.calls++;
    this.scopes.push(scopes);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { token: `token-${this.calls}`, expiresOnTimestamp: Date.now() + this.lifetime };
  }
}

const target = (headers: Record<string, string> = {}) => ({
  method: "GET",
  path: "/acct/c/b",
  query: undefined,
  headers,
  contentLength: 0,
});

describe("credentials", () => {
  it("a bearer provider is asked once for concurrent requests and its token is reused until near expiry", async () => {
    const tokens = new FakeTokens(60 * 60_000);
    const auth = authorizer("acct", tokens);
    const targets = Array.from({ length: 8 }, () => target());
    await Promise.all(targets.map((each) => auth.authorize(each)));
    expect(targets.map((each) => each.headers.authorization)).toEqual(new Array(8).fill("Bearer token-1"));
    await auth.authorize(target());
    expect(tokens.calls).toBe(1);
    expect(tokens.scopes).toEqual(["https://storage.azure.com/.default"]);
  });

  it("a token close to expiry is renewed before use", async () => {
    const tokens = new FakeTokens(60_000); // inside the 2-minute margin
    const auth = authorizer("acct", tokens);
    const first = target();
    await auth.authorize(first);
    const second = target();
    await auth.authorize(second);
    expect([first.headers.authorization, second.headers.authorization]).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("a failed renewal falls back to a still-valid token, and fails PermissionDenied without one", async () => {
    let fail = false;
    let calls = 0;
    const auth = authorizer("acct", {
      async getToken() {
        calls++;
        if (fail) throw new Error("identity endpoint down");
        return { token: "old", expiresOnTimestamp: Date.now() + 60_000 };
      },
    });
    await auth.authorize(target());
    fail = true;
    const again = target();
    await auth.authorize(again);
    expect([again.headers.authorization, calls]).toEqual(["Bearer old", 2]);
    const empty = authorizer("acct", { getToken: async () => null });
    await expect(Promise.resolve().then(() => empty.authorize(target()))).rejects.toMatchObject({
      kind: "PermissionDenied",
    });
  });

  it("the bearer token goes to the service as Authorization, and as the copy source's authorization", async () => {
    const fs = new AzureBlobFs({
      account: "acct",
      container: "c",
      endpoint,
      credential: new FakeTokens(3600_000),
      retry: false,
    });
    seen.length = 0;
    await expect(fs.stat("dir/b")).rejects.toMatchObject({ kind: "NotFound" });
    await expect(fs.copy("dir/b", "dir/c")).rejects.toMatchObject({ kind: "NotFound" });
    expect(seen[0]?.headers.authorization).toBe("Bearer token-1");
    expect(seen[0]?.headers["x-ms-version"]).toBe("2025-11-05");
    expect(seen[1]?.headers["x-ms-copy-source-authorization"]).toBe("Bearer token-1");
    expect(seen[1]?.headers["x-ms-copy-source"]).toBe(`${endpoint}/c/dir/b`);
  });

  it("a SAS token is appended to every URL, and anonymous sends no authorization", async () => {
    const sas = new AzureBlobFs({
      account: "acct",
      container: "c",
      endpoint,
      credential: { sasToken: "?sv=1&sig=abc%2B" },
      retry: false,
    });
    const anonymous = new AzureBlobFs({
      account: "acct",
      container: "c",
      endpoint,
      credential: { anonymous: true },
      retry: false,
    });
    seen.length = 0;
    const errors = await Promise.allSettled([sas.stat("a b"), anonymous.stat("a b")]);
    expect(errors.map((result) => result.status === "rejected" && FusioError.is(result.reason, "NotFound"))).toEqual([
      true,
      true,
    ]);
    const urls = seen.map((request) => request.url).sort();
    expect(urls).toEqual(["/acct/c/a%20b", "/acct/c/a%20b?sv=1&sig=abc%2B"]);
    expect(seen.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
  });
});
