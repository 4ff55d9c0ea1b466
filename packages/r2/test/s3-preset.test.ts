import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import { R2_UNSUPPORTED_HEADERS, r2Endpoint, r2Fs } from "@fusio/r2/s3";
import { describe, expect, it } from "vitest";
import { ScriptedS3 } from "./__fixtures__/scripted-s3.ts";

const MiB = 1024 * 1024;
const PART = 5 * MiB;
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

function preset(http: ScriptedS3, extra: { jurisdiction?: "eu" | "fedramp" } = {}) {
  return r2Fs({ accountId: "0123abcd", bucket: "media", ...credentials, http, partSize: PART, retry: false, ...extra });
}

const partSizes = (http: ScriptedS3): number[] =>
  http.sent
    .filter((r) => r.method === "PUT" && r.url.searchParams.has("partNumber") && !r.headers["x-amz-copy-source"])
    .map((r) => r.size);

describe("r2Fs: the S3 backend with R2's rules", () => {
  it("uses the account endpoint, path-style, and region auto in the signature scope", async () => {
    const http = new ScriptedS3();
    http.objects.set("a/b.txt", { data: bytes(3), etag: '"e"' });
    const fs = preset(http);
    expect(fs.endpoint).toBe("https://0123abcd.r2.cloudflarestorage.com");
    expect(fs.region).toBe("auto");
    expect(fs.bucket).toBe("media");
    await fs.stat("a/b.txt");
    const [request] = http.sent;
    expect(request?.url.href).toBe("https://0123abcd.r2.cloudflarestorage.com/media/a/b.txt");
    expect(request?.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/auto\/s3\/aws4_request/);
    for (const sent of http.sent)
      expect(JSON.stringify(sent.headers).includes(credentials.secretAccessKey)).toBe(false);
  });

  it("has an endpoint per jurisdiction and refuses account ids that are not host labels", () => {
    expect(preset(new ScriptedS3(), { jurisdiction: "eu" }).endpoint).toBe(
      "https://0123abcd.eu.r2.cloudflarestorage.com",
    );
    expect(preset(new ScriptedS3(), { jurisdiction: "fedramp" }).endpoint).toBe(
      "https://0123abcd.fedramp.r2.cloudflarestorage.com",
    );
    expect(r2Endpoint("abc")).toBe("https://abc.r2.cloudflarestorage.com");
    for (const bad of ["", "evil.com/x", "a b", "x@y"]) {
      let error: unknown;
      try {
        r2Endpoint(bad);
      } catch (caught) {
        error = caught;
      }
      expect(FusioError.is(error, "InvalidArgument")).toBe(true);
    }
  });

  it("writes every non-final part with exactly partSize bytes", async () => {
    const http = new ScriptedS3();
    const fs = preset(http);
    const file = await fs.open("big.bin", { create: true, truncate: true });
    const data = bytes(2 * PART + PART / 2 + 9, 1);
    for (let offset = 0; offset < data.length; offset += 1_234_567) {
      await file.writeAll(data.subarray(offset, offset + 1_234_567));
    }
    await file.close();
    expect(partSizes(http)).toEqual([PART, PART, PART / 2 + 9]);
  });

  it("an append copies the old object in whole parts of partSize and re-uploads its last partial part", async () => {
    const http = new ScriptedS3();
    const old = bytes(2 * PART + 123, 2);
    http.objects.set("log.bin", { data: old, etag: '"old"', headers: { "content-type": "text/plain" } });
    const fs = preset(http);
    const file = await fs.open("log.bin", { write: true });
    await file.writeAll(bytes(PART + 7, 3));
    await file.close();
    const copies = http.sent.filter((r) => r.headers["x-amz-copy-source"]);
    expect(copies.map((r) => r.headers["x-amz-copy-source-range"])).toEqual([
      `bytes=0-${PART - 1}`,
      `bytes=${PART}-${2 * PART - 1}`,
    ]);
    expect(copies.map((r) => r.headers["x-amz-copy-source-if-match"])).toEqual(['"old"', '"old"']);
    expect(copies.map((r) => r.url.searchParams.get("partNumber"))).toEqual(["1", "2"]);
    const tail = http.sent.find((r) => r.method === "GET");
    expect(tail?.headers.range).toBe(`bytes=${2 * PART}-`);
    // The old tail (123 bytes) and the new bytes fill part 3 to partSize; the rest is the last part.
    expect(partSizes(http)).toEqual([PART, 123 + 7]);
    const uploaded = http.sent.filter((r) => r.url.searchParams.has("partNumber") && !r.headers["x-amz-copy-source"]);
    expect(uploaded.map((r) => r.url.searchParams.get("partNumber"))).toEqual(["3", "4"]);
    const create = http.sent.find((r) => r.method === "POST" && r.url.searchParams.has("uploads"));
    expect(create?.headers["content-type"]).toBe("text/plain");
  });

  it("an old object that is a whole number of parts is copied without any download", async () => {
    const http = new ScriptedS3();
    http.objects.set("even.bin", { data: bytes(2 * PART, 4), etag: '"even"' });
    const fs = preset(http);
    const file = await fs.open("even.bin", { write: true });
    await file.writeAll(bytes(10, 5));
    await file.close();
    expect(http.sent.filter((r) => r.method === "GET")).toEqual([]);
    expect(http.sent.filter((r) => r.headers["x-amz-copy-source"]).length).toBe(2);
    expect(partSizes(http)).toEqual([10]);
  });

  it("an append to an object smaller than partSize is a download and one guarded put", async () => {
    const http = new ScriptedS3();
    http.objects.set("small.bin", { data: bytes(PART - 10, 6), etag: '"small"' });
    const fs = preset(http);
    const file = await fs.open("small.bin", { write: true });
    await file.writeAll(bytes(5, 7));
    await file.close();
    expect(http.sent.some((r) => r.headers["x-amz-copy-source"])).toBe(false);
    const put = http.sent.find((r) => r.method === "PUT");
    expect(put?.url.searchParams.has("partNumber")).toBe(false);
    expect(put?.size).toBe(PART - 10 + 5);
    expect(put?.headers["if-match"]).toBe('"small"');
  });

  it("never sends a header R2 rejects, also when an append carries over the object's headers", async () => {
    const http = new ScriptedS3();
    http.objects.set("kept.bin", {
      data: bytes(PART + 1, 8),
      etag: '"kept"',
      headers: {
        "content-type": "image/png",
        "x-amz-meta-owner": "me",
        "x-amz-server-side-encryption": "AES256",
        "x-amz-website-redirect-location": "/elsewhere",
        "x-amz-storage-class": "STANDARD",
      },
    });
    const fs = preset(http);
    const file = await fs.open("kept.bin", { write: true });
    await file.writeAll(bytes(3, 9));
    await file.close();
    const create = http.sent.find((r) => r.method === "POST" && r.url.searchParams.has("uploads"));
    expect(create?.headers["content-type"]).toBe("image/png");
    expect(create?.headers["x-amz-meta-owner"]).toBe("me");
    for (const request of http.sent) {
      for (const name of R2_UNSUPPORTED_HEADERS) expect(`${name}: ${request.headers[name]}`).toBe(`${name}: undefined`);
    }
  });

  it("passes onProgress through to the writer: after every part and once for a single PUT", async () => {
    const http = new ScriptedS3();
    const seen: { loaded: number; path: string }[] = [];
    const fs = r2Fs({
      accountId: "0123abcd",
      bucket: "media",
      ...credentials,
      http,
      partSize: PART,
      concurrency: 1,
      retry: false,
      onProgress: (progress) => seen.push(progress),
    });
    const big = await fs.open("big.bin", { create: true, truncate: true });
    await big.writeAll(bytes(PART + 9, 2));
    await big.close();
    const small = await fs.open("small.bin", { create: true, truncate: true });
    await small.writeAll(bytes(9, 3));
    await small.close();
    expect(seen).toEqual([
      { loaded: PART, path: "big.bin" },
      { loaded: PART + 9, path: "big.bin" },
      { loaded: 9, path: "small.bin" },
    ]);
  });
});
