// Bearer tokens end to end. Azurite accepts OAuth only over HTTPS, so this file starts its own
// Azurite with TLS (a self-signed loopback certificate from __fixtures__, trusted by this test's
// fetch only) and `--oauth basic`, which checks each token's lifetime, issuer and audience but
// not its signature: the tokens here are unsigned JWTs with real claims.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type AccessToken,
  API_VERSION,
  AzureBlobFs,
  DEVELOPMENT_ACCOUNT,
  DEVELOPMENT_KEY,
  sharedKeyStringToSign,
} from "@fusio/azure";
import { bytes } from "@fusio/conformance";
import { FusioError, type HttpClient, type HttpRequest, type HttpResponse } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { type Azurite, startAzurite } from "@fusio-internal/test-support/azurite";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const agent = new Agent({ connect: { ca: readFileSync(fixture("loopback-cert.pem"), "utf8") } });
const tlsFetch = ((url: string, init: RequestInit) =>
  undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
const CONTAINER = "bearer";

let azurite: Azurite;

/** Creates the container with Shared Key (fusio has no container API). */
async function createContainer(endpoint: string): Promise<void> {
  const url = new URL(`${endpoint}/${CONTAINER}?restype=container`);
  const headers: Record<string, string> = { "x-ms-version": API_VERSION, "x-ms-date": new Date().toUTCString() };
  const toSign = sharedKeyStringToSign(DEVELOPMENT_ACCOUNT, {
    method: "PUT",
    path: url.pathname,
    query: { restype: "container" },
    headers,
    contentLength: 0,
  });
  const signature = createHmac("sha256", Buffer.from(DEVELOPMENT_KEY, "base64")).update(toSign).digest("base64");
  headers.authorization = `SharedKey ${DEVELOPMENT_ACCOUNT}:${signature}`;
  const response = await tlsFetch(url.href, { method: "PUT", headers });
  if (response.status !== 201) throw new Error(`container: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  azurite = await startAzurite({ https: { cert: fixture("loopback-cert.pem"), key: fixture("loopback-key.pem") } });
  await createContainer(azurite.endpoint);
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
  await agent.close();
});

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsigned JWT as Microsoft Entra ID shapes a storage token. */
function jwt(claims: { exp: number; aud?: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: "https://storage.azure.com",
    iss: "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
    iat: now - 60,
    nbf: now - 60,
    oid: "00000000-0000-0000-0000-000000000002",
    tid: "00000000-0000-0000-0000-000000000001",
    ...claims,
  };
  return `${base64url({ alg: "RS256", typ: "JWT" })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

/** A token provider whose tokens live `lifetimeMs`; what it returns can be overridden. */
class Tokens {
  calls = 0;
  scopes: unknown[] = [];
  constructor(
    private readonly lifetimeMs: number,
    private readonly make: (expiresOn: number) => AccessToken = (expiresOn) => ({
      token: jwt({ exp: Math.floor(expiresOn / 1000) }),
      expiresOnTimestamp: expiresOn,
    }),
  ) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.calls++;
    this.scopes.push(scopes);
    return this.make(Date.now() + this.lifetimeMs);
  }
}

/** Records the Authorization scheme of every request and how it was answered. */
class Recorder implements HttpClient {
  readonly inner = new FetchHttpClient({ fetch: tlsFetch });
  readonly seen: Array<{ what: string; scheme: string; status: number }> = [];
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const response = await this.inner.send(request);
    this.seen.push({
      what: `${request.method} ${url.searchParams.get("comp") ?? ""}`.trim(),
      scheme: (request.headers?.authorization ?? "").split(" ")[0] ?? "",
      status: response.status,
    });
    return response;
  }
}

function bearerFs(tokens: Tokens, http: HttpClient, blockSize = 64 * 1024): AzureBlobFs {
  return new AzureBlobFs({
    account: DEVELOPMENT_ACCOUNT,
    endpoint: azurite.endpoint,
    container: CONTAINER,
    credential: tokens,
    http,
    blockSize,
    concurrency: 2,
    retry: false,
  });
}

async function readAll(fs: AzureBlobFs, path: string): Promise<Uint8Array> {
  const file = await fs.open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

describe("bearer tokens against Azurite over HTTPS", () => {
  it("write (Put Blob and staged blocks), read, list, copy, append and remove all go through with the token", async () => {
    const tokens = new Tokens(3600_000);
    const recorder = new Recorder();
    const fs = bearerFs(tokens, recorder);
    const small = bytes(1000, 1);
    const large = bytes(3 * 64 * 1024 + 7, 2);
    for (const [path, data] of [
      ["dir/small.bin", small],
      ["dir/large.bin", large],
    ] as const) {
      const file = await fs.open(path, { create: true, truncate: true });
      await file.writeAll(data);
      await file.close();
    }
    const head = await fs.open("dir/large.bin");
    expect(Buffer.from(await head.readExactAt(new Uint8Array(100), 64 * 1024 - 50))).toEqual(
      Buffer.from(large.subarray(64 * 1024 - 50, 64 * 1024 + 50)),
    );
    await head.close();
    const listed: string[] = [];
    for await (const entry of fs.list("dir")) listed.push(`${entry.path.raw}:${entry.size}`);
    expect(listed).toEqual([`dir/large.bin:${large.length}`, "dir/small.bin:1000"]);
    await fs.copy("dir/large.bin", "dir/copy.bin");
    expect(Buffer.from(await readAll(fs, "dir/copy.bin")).equals(Buffer.from(large))).toBe(true);
    // Azurite's Put Block From URL reads the source without the bearer token it was given
    // (x-ms-copy-source-authorization) and answers CannotVerifyCopySource: the splice falls back
    // to copying through the client, guarded by the ETag.
    const append = await fs.open("dir/small.bin", { write: true });
    await append.writeAll(bytes(10, 3));
    await append.close();
    expect(Buffer.from(await readAll(fs, "dir/small.bin")).equals(Buffer.concat([small, bytes(10, 3)]))).toBe(true);
    const tag = await fs.putConditional("dir/cas.txt", new TextEncoder().encode("v1"), { ifNotExists: true });
    await expect(fs.putConditional("dir/cas.txt", new Uint8Array(1), { ifMatch: '"stale"' })).rejects.toMatchObject({
      kind: "PreconditionFailed",
    });
    expect((await fs.loadWithTag("dir/cas.txt"))?.tag).toBe(tag);
    for (const name of ["small", "large", "copy", "cas"])
      await fs.remove(`dir/${name}.${name === "cas" ? "txt" : "bin"}`);
    await expect(fs.stat("dir/large.bin")).rejects.toMatchObject({ kind: "NotFound" });

    expect(recorder.seen.map((request) => request.scheme)).toEqual(recorder.seen.map(() => "Bearer"));
    // Refused: only Azurite's Put Block From URL of the append (see above).
    expect(recorder.seen.filter((request) => request.status === 401 || request.status === 403)).toEqual([
      { what: "PUT block", scheme: "Bearer", status: 403 },
    ]);
    expect(recorder.seen.map((request) => request.what)).toEqual(
      expect.arrayContaining(["PUT", "PUT block", "PUT blocklist", "GET list", "HEAD", "DELETE"]),
    );
    // One token for the whole run, asked for the storage scope.
    expect(tokens.calls).toBe(1);
    expect(tokens.scopes).toEqual(["https://storage.azure.com/.default"]);
  });

  it("tokens inside the renewal margin are renewed before each use, and every renewed token is accepted", async () => {
    const tokens = new Tokens(60_000); // expires within the 2-minute margin
    const recorder = new Recorder();
    const fs = bearerFs(tokens, recorder);
    for (let i = 0; i < 3; i++) {
      const file = await fs.open(`renew/${i}.txt`, { create: true, truncate: true });
      await file.writeAll(new TextEncoder().encode(String(i)));
      await file.close();
    }
    expect(recorder.seen.map((request) => request.status)).toEqual([201, 201, 201]);
    expect(tokens.calls).toBe(3);
  });

  it("a token the service refuses (expired, wrong audience) rejects PermissionDenied without the token in the error", async () => {
    const expired = new Tokens(3600_000, (expiresOn) => ({
      // The provider claims an hour; the token itself expired a minute ago.
      token: jwt({ exp: Math.floor(Date.now() / 1000) - 60 }),
      expiresOnTimestamp: expiresOn,
    }));
    const foreign = new Tokens(3600_000, (expiresOn) => ({
      token: jwt({ exp: Math.floor(expiresOn / 1000), aud: "https://vault.azure.net" }),
      expiresOnTimestamp: expiresOn,
    }));
    for (const tokens of [expired, foreign]) {
      const fs = bearerFs(tokens, new Recorder());
      const error = await fs.stat("anything").catch((caught: unknown) => caught);
      expect(FusioError.is(error, "PermissionDenied")).toBe(true);
      const token = (await tokens.getToken("x")).token;
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(token.split(".")[1]);
    }
  });

  it("a provider that fails, or returns no token, rejects PermissionDenied before anything is sent", async () => {
    const recorder = new Recorder();
    for (const credential of [
      { getToken: async () => null },
      {
        getToken: async () => {
          throw new Error("identity endpoint down");
        },
      },
    ]) {
      const fs = new AzureBlobFs({
        account: DEVELOPMENT_ACCOUNT,
        endpoint: azurite.endpoint,
        container: CONTAINER,
        credential,
        http: recorder,
        retry: false,
      });
      await expect(fs.stat("anything")).rejects.toMatchObject({ kind: "PermissionDenied" });
    }
    expect(recorder.seen).toEqual([]);
  });
});
