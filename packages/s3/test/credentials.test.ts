import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedCredentials } from "@fusio/s3";
import {
  defaultCredentials,
  fromContainer,
  fromEnv,
  fromInstanceMetadata,
  fromSharedFiles,
  fromWebIdentity,
  parseIni,
} from "@fusio/s3/node-credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "fusio-creds-"));
let server: Server;
let base = "";
const seen: Array<{ method: string; url: string; headers: IncomingMessage["headers"]; body: string }> = [];
const expiration = new Date(Date.now() + 3_600_000).toISOString();

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      const url = request.url ?? "";
      if (url === "/container") {
        if (request.headers.authorization !== "secret-token") return response.writeHead(401).end();
        return json(response, { AccessKeyId: "AKC", SecretAccessKey: "SKC", Token: "TC", Expiration: expiration });
      }
      if (url === "/latest/api/token" && request.method === "PUT") return response.end("imds-token");
      if (request.headers["x-aws-ec2-metadata-token"] !== "imds-token") return response.writeHead(401).end();
      if (url === "/latest/meta-data/iam/security-credentials/") return response.end("my-role\n");
      if (url === "/latest/meta-data/iam/security-credentials/my-role") {
        return json(response, { AccessKeyId: "AKI", SecretAccessKey: "SKI", Token: "TI", Expiration: expiration });
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("node credential sources", () => {
  it("fromEnv", async () => {
    expect(await fromEnv({ AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "S", AWS_SESSION_TOKEN: "T" })()).toEqual({
      accessKeyId: "A",
      secretAccessKey: "S",
      sessionToken: "T",
    });
    expect(() => fromEnv({})()).toThrow();
  });

  it("fromSharedFiles reads the profile from the credentials and config files", async () => {
    const credentialsFile = join(dir, "credentials");
    const configFile = join(dir, "config");
    writeFileSync(credentialsFile, "[default]\naws_access_key_id = AD\naws_secret_access_key = SD\n# comment\n");
    writeFileSync(configFile, "[profile work]\naws_access_key_id=AW\naws_secret_access_key=SW\naws_session_token=TW\n");
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };
    expect(await fromSharedFiles({ env })()).toMatchObject({ accessKeyId: "AD", secretAccessKey: "SD" });
    expect(await fromSharedFiles({ env: { ...env, AWS_PROFILE: "work" } })()).toMatchObject({
      accessKeyId: "AW",
      sessionToken: "TW",
    });
    await expect(fromSharedFiles({ env, profile: "none" })()).rejects.toMatchObject({ kind: "PermissionDenied" });
    expect(parseIni("[a]\nx = 1\n; c\n[b b]\ny=2")).toEqual({ a: { x: "1" }, "b b": { y: "2" } });
  });

  it("fromContainer sends the authorization token and reads the expiry", async () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, "secret-token\n");
    const credentials = await fromContainer({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/container`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    })();
    expect(credentials).toMatchObject({ accessKeyId: "AKC", sessionToken: "TC" });
    expect(credentials.expiration?.toISOString()).toBe(expiration);
  });

  it("fromInstanceMetadata uses an IMDSv2 session token", async () => {
    const credentials = await fromInstanceMetadata({ endpoint: base, env: {} })();
    expect(credentials).toMatchObject({ accessKeyId: "AKI", secretAccessKey: "SKI", sessionToken: "TI" });
    expect(
      seen.find((request) => request.url === "/latest/api/token")?.headers["x-aws-ec2-metadata-token-ttl-seconds"],
    ).toBe("21600");
  });

  it("fromWebIdentity exchanges the token file with STS", async () => {
    const sts = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        const form = new URLSearchParams(body);
        if (form.get("WebIdentityToken") !== "jwt" || form.get("RoleArn") !== "arn:aws:iam::1:role/r") {
          return response.writeHead(403).end();
        }
        response.end(
          `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>AKW</AccessKeyId><SecretAccessKey>SKW</SecretAccessKey><SessionToken>TW</SessionToken><Expiration>${expiration}</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => sts.listen(0, "127.0.0.1", resolve));
    const tokenFile = join(dir, "jwt");
    writeFileSync(tokenFile, "jwt");
    const credentials = await fromWebIdentity({
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: "arn:aws:iam::1:role/r" },
      stsEndpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
    })();
    await new Promise((resolve) => sts.close(resolve));
    expect(credentials).toMatchObject({ accessKeyId: "AKW", secretAccessKey: "SKW", sessionToken: "TW" });
  });

  it("defaultCredentials takes the first source that works", async () => {
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${base}/container`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "secret-token",
    };
    expect(await defaultCredentials(env)()).toMatchObject({ accessKeyId: "AKC" });
    expect(await defaultCredentials({ ...env, AWS_ACCESS_KEY_ID: "E", AWS_SECRET_ACCESS_KEY: "S" })()).toMatchObject({
      accessKeyId: "E",
    });
  });
});

describe("cachedCredentials", () => {
  it("caches until shortly before expiry and shares one refresh", async () => {
    let calls = 0;
    let lifetime = 3_600_000;
    const get = cachedCredentials(async () => {
      calls++;
      return { accessKeyId: `A${calls}`, secretAccessKey: "S", expiration: new Date(Date.now() + lifetime) };
    });
    const [a, b] = await Promise.all([get(), get()]);
    expect([a.accessKeyId, b.accessKeyId, calls]).toEqual(["A1", "A1", 1]);
    expect((await get()).accessKeyId).toBe("A1");
    // While cached, the value itself: signing a request awaits nothing.
    expect(get()).not.toBeInstanceOf(Promise);
    expect(cachedCredentials({ accessKeyId: "K", secretAccessKey: "S" })()).toEqual({
      accessKeyId: "K",
      secretAccessKey: "S",
    });
    lifetime = 60_000; // the next ones expire within the refresh margin
    calls = 10;
    const fresh = cachedCredentials(async () => {
      calls++;
      return { accessKeyId: `B${calls}`, secretAccessKey: "S", expiration: new Date(Date.now() + lifetime) };
    });
    expect((await fresh()).accessKeyId).toBe("B11");
    expect((await fresh()).accessKeyId).toBe("B12");
  });
});
