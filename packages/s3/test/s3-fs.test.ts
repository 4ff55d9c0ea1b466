// S3-specific behaviour beyond the conformance suite, against the real server.
import { bytes } from "@fusio/conformance";
import { FusioError, type HttpClient, type HttpRequest } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { portableSigner, S3Fs } from "@fusio/s3";
import { describe, expect, it } from "vitest";
import { config, expectBytes, testFs, uniquePrefix } from "./helpers.ts";

/** The real fetch client, recording what it sends. */
class RecordingClient implements HttpClient {
  readonly sent: HttpRequest[] = [];
  readonly #inner = new FetchHttpClient();
  send(request: HttpRequest) {
    this.sent.push(request);
    return this.#inner.send(request);
  }
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return FusioError.is(error) ? error.kind : String(error);
  }
}

describe("configuration", () => {
  it("id names endpoint and bucket; addressing follows the endpoint", () => {
    const aws = new S3Fs({ bucket: "b", region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    expect(aws.id).toBe("s3:https://s3.eu-west-1.amazonaws.com/b");
    const local = testFs();
    expect(local.id).toBe(`s3:${config.endpoint}/${config.bucket}`);
    expect(JSON.stringify(local)).not.toContain(config.secretAccessKey);
  });

  it("virtual-hosted style on AWS, path style for custom endpoints or when asked", async () => {
    const http = new RecordingClient();
    const failing: HttpClient = {
      send: async (request) => {
        http.sent.push(request);
        throw new FusioError("Io", "offline", { retryable: false });
      },
    };
    const credentials = { accessKeyId: "a", secretAccessKey: "s" };
    await kindOf(new S3Fs({ bucket: "bkt", region: "us-west-2", credentials, http: failing }).stat("a b/c"));
    await kindOf(new S3Fs({ bucket: "bkt", endpoint: "http://127.0.0.1:9/", credentials, http: failing }).stat("k"));
    await kindOf(
      new S3Fs({ bucket: "bkt", region: "us-west-2", forcePathStyle: true, credentials, http: failing }).stat("k"),
    );
    await kindOf(new S3Fs({ bucket: "my.bkt", credentials, http: failing }).stat("k"));
    expect(http.sent.map((request) => request.url)).toEqual([
      "https://bkt.s3.us-west-2.amazonaws.com/a%20b/c",
      "http://127.0.0.1:9/bkt/k",
      "https://s3.us-west-2.amazonaws.com/bkt/k",
      "https://s3.us-east-1.amazonaws.com/my.bkt/k",
    ]);
  });

  it("bad options reject InvalidArgument", () => {
    const credentials = { accessKeyId: "a", secretAccessKey: "s" };
    expect(() => new S3Fs({ bucket: "" })).toThrow(FusioError);
    expect(() => new S3Fs({ bucket: "b" })).toThrow(/credentials/);
    expect(() => new S3Fs({ bucket: "b", credentials, partSize: 1024 })).toThrow(FusioError);
    expect(() => new S3Fs({ bucket: "b", credentials, concurrency: 0 })).toThrow(FusioError);
    expect(() => new S3Fs({ bucket: "b", credentials, endpoint: "not a url" })).toThrow(FusioError);
  });
});

describe("authentication", () => {
  it("a wrong secret is PermissionDenied and the error holds no secret", async () => {
    const fs = testFs({ credentials: { accessKeyId: config.accessKeyId, secretAccessKey: "wrong" } });
    const error = await fs.stat("anything").catch((caught: unknown) => caught);
    expect(FusioError.is(error, "PermissionDenied")).toBe(true);
    expect(String(error)).not.toMatch(/Signature=|wrong|AKIA/);
  });

  it("anonymous requests are unsigned (a private bucket refuses them)", async () => {
    const http = new RecordingClient();
    const fs = testFs({ anonymous: true, credentials: undefined, http });
    expect(await kindOf(fs.stat("anything"))).toBe("PermissionDenied");
    expect(http.sent[0]?.headers.authorization).toBe(undefined);
  });

  it("a credentials provider is called once and cached; signed payloads and the portable signer work", async () => {
    let calls = 0;
    const fs = testFs({
      credentials: async () => {
        calls++;
        return { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
      },
      signPayload: true,
      signer: portableSigner,
    });
    const path = `${uniquePrefix("auth")}/signed.bin`;
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(1000, 2));
    await file.close();
    expect((await fs.stat(path)).size).toBe(1000);
    await fs.remove(path);
    expect(calls).toBe(1);
  });
  it("credentials that expire within the refresh margin are fetched once per request, never in a loop", async () => {
    let calls = 0;
    const http = new RecordingClient();
    const fs = testFs({
      http,
      credentials: async () => {
        calls++;
        const expiration = new Date(Date.now() + 60_000);
        return { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, expiration };
      },
    });
    const path = `${uniquePrefix("auth")}/short-lived.bin`;
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
    expect([calls, http.sent.length]).toEqual([2, 2]);
  });
});

describe("reads and writes", () => {
  it("readToEndAt at the size needs no failing request; on a truncating handle it asks", async () => {
    const http = new RecordingClient();
    const fs = testFs({ http });
    const path = `${uniquePrefix("eof")}/x.bin`;
    await (async () => {
      const file = await fs.open(path, { create: true, truncate: true });
      await file.writeAll(bytes(10));
      await file.close();
    })();
    const reader = await fs.open(path);
    const before = http.sent.length;
    expect((await reader.readToEndAt(10)).length).toBe(0);
    expect(http.sent.length).toBe(before);
    const replacing = await fs.open(path, { create: true, truncate: true });
    expect((await replacing.readToEndAt(10)).length).toBe(0);
    expect(await kindOf(replacing.readToEndAt(11))).toBe("UnexpectedEof");
    await replacing.close();
    await fs.remove(path);
  });

  it("small objects are one PUT; sync('data') uploads full parts before close; nothing is visible before close", async () => {
    const http = new RecordingClient();
    const fs = testFs({ http, partSize: 5 * 1024 * 1024, concurrency: 2 });
    const path = `${uniquePrefix("sync")}/big.bin`;
    const data = bytes(5 * 1024 * 1024 + 100, 4);
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(data);
    await file.sync("data");
    expect(http.sent.filter((request) => request.url.includes("partNumber=1")).length).toBe(1);
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
    await file.close();
    expectBytes(await (await fs.open(path)).readToEndAt(0), data);
    const small = `${path}.small`;
    const before = http.sent.length;
    const one = await fs.open(small, { create: true, truncate: true });
    await one.writeAll(bytes(100));
    await one.close();
    expect(http.sent.slice(before).map((request) => request.method)).toEqual(["PUT"]);
  });

  it("a small write aborted while queued behind another rejects Aborted, and the file publishes nothing", async () => {
    const fs = testFs();
    const path = `${uniquePrefix("queued")}/a.bin`;
    const file = await fs.open(path, { create: true, truncate: true });
    const controller = new AbortController();
    const first = file.writeAll(bytes(10));
    const second = file.writeAll(bytes(10, 2), { signal: controller.signal });
    controller.abort();
    await first;
    expect(await kindOf(second)).toBe("Aborted");
    expect(await kindOf(file.close())).toBe("Aborted");
    expect(await kindOf(fs.stat(path))).toBe("NotFound");
  });

  it("onProgress reports the bytes stored after every part, and once for a single PUT", async () => {
    const part = 5 * 1024 * 1024;
    const seen: { loaded: number; path: string }[] = [];
    const fs = testFs({ partSize: part, concurrency: 1, onProgress: (progress) => seen.push(progress) });
    const big = `${uniquePrefix("progress")}/big.bin`;
    const data = bytes(2 * part + 3, 6);
    const file = await fs.open(big, { create: true, truncate: true });
    await file.writeAll(data.subarray(0, part + 1));
    await file.writeAll(data.subarray(part + 1));
    await file.close();
    expect(seen).toEqual([
      { loaded: part, path: big },
      { loaded: 2 * part, path: big },
      { loaded: 2 * part + 3, path: big },
    ]);
    expectBytes(await (await fs.open(big)).readToEndAt(0), data);
    seen.length = 0;
    const small = `${big}.small`;
    const one = await fs.open(small, { create: true, truncate: true });
    await one.writeAll(bytes(100, 7));
    await one.writeAll(bytes(50, 8));
    expect(seen).toEqual([]);
    await one.close();
    expect(seen).toEqual([{ loaded: 150, path: small }]);
    await Promise.all([fs.remove(big), fs.remove(small)]);
  });

  it("list stops fetching pages when the consumer stops", async () => {
    const http = new RecordingClient();
    const fs = testFs({ http, listPageSize: 3 });
    const base = uniquePrefix("pages");
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const file = await fs.open(`${base}/k${i}`, { create: true, truncate: true });
        await file.close();
      }),
    );
    const lists = (): number => http.sent.filter((request) => request.url.includes("list-type=2")).length;
    const start = lists();
    const all: string[] = [];
    for await (const entry of fs.list(base)) all.push(entry.path.raw);
    expect(all.length).toBe(10);
    expect(lists() - start).toBe(4);
    const again = lists();
    let seen = 0;
    for await (const _ of fs.list(base)) if (++seen === 2) break;
    expect(lists() - again).toBe(1);
    await Promise.all(all.map((key) => fs.remove(key)));
  });

  it("remove, open and copy refuse the bucket root", async () => {
    const fs = testFs();
    expect(await kindOf(fs.remove(""))).toBe("IsADirectory");
    expect(await kindOf(fs.open("", { create: true }))).toBe("IsADirectory");
    expect(await kindOf(fs.copy("a", ""))).toBe("IsADirectory");
  });
});
