import { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from "@azure/storage-blob";
import { DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY } from "@fusio/azure";
import { describe, expect, it } from "vitest";
import { hmacBase64 as nodeHmac } from "../src/internal/hmac-node.ts";
import { hmacBase64 as webHmac } from "../src/internal/hmac-web.ts";
import { blobSas, SAS_VERSION } from "../src/sas.ts";
import { decodeAccountKey, sharedKeyStringToSign, signSharedKey } from "../src/shared-key.ts";

const key = decodeAccountKey(DEVELOPMENT_KEY);
const sdk = new StorageSharedKeyCredential(DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY);

describe("Shared Key", () => {
  it("builds the documented string-to-sign (headers, canonical x-ms-*, resource with sorted query)", () => {
    const stringToSign = sharedKeyStringToSign("myaccount", {
      method: "put",
      path: "/mycontainer/dir/hello%20world.txt",
      query: { comp: "block", blockid: "AAAA+/==" },
      headers: {
        "x-ms-version": "2025-11-05",
        "x-ms-date": "Thu, 26 Nov 2026 04:00:00 GMT",
        "x-ms-meta-Team": "  fusio   io ",
        "if-match": '"0x8D"',
        "content-type": "application/octet-stream",
        "x-ms-blob-type": "BlockBlob",
        authorization: "ignored",
      },
      contentLength: 11,
    });
    expect(stringToSign).toBe(
      [
        "PUT",
        "", // Content-Encoding
        "", // Content-Language
        "11", // Content-Length
        "", // Content-MD5
        "application/octet-stream",
        "", // Date (x-ms-date is used)
        "", // If-Modified-Since
        '"0x8D"',
        "", // If-None-Match
        "", // If-Unmodified-Since
        "", // Range
        "x-ms-blob-type:BlockBlob",
        "x-ms-date:Thu, 26 Nov 2026 04:00:00 GMT",
        "x-ms-meta-Team:fusio io",
        "x-ms-version:2025-11-05",
        "/myaccount/mycontainer/dir/hello%20world.txt",
        "blockid:AAAA+/==",
        "comp:block",
      ].join("\n"),
    );
  });

  it("signs an empty body with an empty Content-Length, and the account twice for path-style URLs", () => {
    const stringToSign = sharedKeyStringToSign(DEVELOPMENT_ACCOUNT, {
      method: "GET",
      path: "/devstoreaccount1/c/b",
      headers: { "x-ms-date": "d", "x-ms-version": "v" },
      contentLength: 0,
    });
    expect(stringToSign).toBe(
      `GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:d\nx-ms-version:v\n/devstoreaccount1/devstoreaccount1/c/b`,
    );
  });

  it("signs exactly as @azure/storage-blob does (known answer from the official SDK)", async () => {
    const request = {
      method: "GET",
      path: "/devstoreaccount1/c/blob",
      query: { restype: "container", comp: "list" },
      headers: { "x-ms-date": "Thu, 26 Nov 2026 04:00:00 GMT", "x-ms-version": "2025-11-05" },
      contentLength: 0,
    };
    const expected = sdk.computeHMACSHA256(sharedKeyStringToSign(DEVELOPMENT_ACCOUNT, request));
    expect(expected).toBe("l9W8xJ8ZF25IN86i7/cACbb/sBvUe7foXir3H8ZJdp0=");
    expect(await signSharedKey(DEVELOPMENT_ACCOUNT, key, request)).toBe(`SharedKey ${DEVELOPMENT_ACCOUNT}:${expected}`);
  });

  it("node:crypto and WebCrypto give identical signatures", async () => {
    for (const message of ["", "GET\n\n", "héllo 😀\n/x", "x".repeat(10_000)]) {
      expect(await webHmac(key, message)).toBe(await nodeHmac(key, message));
    }
    expect(typeof nodeHmac(key, "sync")).toBe("string");
  });

  it("rejects a key that is not base64 with InvalidArgument", () => {
    for (const bad of ["", "not base64!", "abc"]) {
      expect(() => decodeAccountKey(bad)).toThrow(expect.objectContaining({ kind: "InvalidArgument" }));
    }
  });
});

describe("service SAS", () => {
  it("matches the official SDK's blob SAS for the same inputs", async () => {
    const startsOn = new Date("2026-11-26T04:00:00Z");
    const expiresOn = new Date("2026-11-26T05:00:00Z");
    const ours = await blobSas(key, {
      account: DEVELOPMENT_ACCOUNT,
      container: "fusio",
      blob: "dir/héllo wörld.bin",
      permissions: "r",
      startsOn,
      expiresOn,
    });
    const theirs = generateBlobSASQueryParameters(
      {
        containerName: "fusio",
        blobName: "dir/héllo wörld.bin",
        permissions: BlobSASPermissions.parse("r"),
        startsOn,
        expiresOn,
        version: SAS_VERSION,
      },
      sdk,
    );
    const params = new URLSearchParams(ours);
    expect(params.get("sig")).toBe(theirs.signature);
    expect(params.get("sv")).toBe(theirs.version);
    expect(params.get("se")).toBe("2026-11-26T05:00:00Z");
  });
});
