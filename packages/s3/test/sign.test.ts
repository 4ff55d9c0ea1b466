// SigV4 known-answer tests: the worked examples of AWS's S3 documentation
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html), for both
// signers, and a property test that the two always agree.
import { encodeKey, encodeQuery, portableSigner, type Signer, type SignRequest } from "@fusio/s3";
import { nodeSigner } from "@fusio/s3/node-signer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const base = {
  host: "examplebucket.s3.amazonaws.com",
  datetime: "20130524T000000Z",
  region: "us-east-1",
  service: "s3",
  credentials,
};

const examples: Array<[string, SignRequest, string]> = [
  [
    "GET Object with a Range",
    {
      ...base,
      method: "GET",
      path: `/${encodeKey("test.txt")}`,
      query: "",
      headers: { range: "bytes=0-9", "x-amz-content-sha256": EMPTY, "x-amz-date": base.datetime },
      allHeaders: true,
    },
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
  ],
  [
    "PUT Object with a storage class",
    {
      ...base,
      method: "PUT",
      path: `/${encodeKey("test$file.text")}`,
      query: "",
      headers: {
        date: "Fri, 24 May 2013 00:00:00 GMT",
        "x-amz-content-sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
        "x-amz-date": base.datetime,
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
      },
    },
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
  ],
  [
    "GET Bucket Lifecycle",
    {
      ...base,
      method: "GET",
      path: "/",
      query: encodeQuery({ lifecycle: "" }),
      headers: { "x-amz-content-sha256": EMPTY, "x-amz-date": base.datetime },
    },
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
  ],
  [
    "GET Bucket (List Objects)",
    {
      ...base,
      method: "GET",
      path: "/",
      query: encodeQuery({ prefix: "J", "max-keys": "2" }),
      headers: { "x-amz-content-sha256": EMPTY, "x-amz-date": base.datetime },
    },
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
  ],
];

const signers: Array<[string, Signer]> = [
  ["portable (aws4fetch)", portableSigner],
  ["native (node:crypto)", nodeSigner],
];

describe.each(signers)("%s signer", (_name, signer) => {
  it.each(examples)("reproduces AWS's example: %s", async (_title, request, expected) => {
    expect(await signer.authorization(request)).toBe(expected);
  });

  it("hashes payloads", async () => {
    expect(await signer.sha256Hex(new Uint8Array(0))).toBe(EMPTY);
    expect(await signer.sha256Hex(new TextEncoder().encode("Welcome to Amazon S3."))).toBe(
      "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
    );
  });
});

describe("both signers agree", () => {
  const headerValue = fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((value) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value));
  it("on random keys, queries, headers and session tokens", async () => {
    await fc.assert(
      fc.asyncProperty(
        // fusio paths never hold "." or ".." segments (Path.parse rejects them); URLs would normalise them away.
        fc
          .array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 })
          .filter((segments) =>
            segments
              .join("/")
              .split("/")
              .every((part) => part !== "." && part !== ".."),
          ),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.string({ maxLength: 12 }), { maxKeys: 4 }),
        fc.dictionary(fc.stringMatching(/^x-amz-meta-[a-z0-9]{1,8}$/), headerValue, { maxKeys: 3 }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/), { nil: undefined }),
        fc.constantFrom("GET", "PUT", "HEAD", "POST", "DELETE"),
        async (segments, query, meta, sessionToken, method) => {
          const request: SignRequest = {
            ...base,
            host: "127.0.0.1:7480",
            method,
            path: `/bucket/${encodeKey(segments.join("/"))}`,
            query: encodeQuery(query),
            headers: {
              ...meta,
              "content-type": "application/octet-stream",
              range: "bytes=0-1",
              "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
              "x-amz-date": base.datetime,
              ...(sessionToken && { "x-amz-security-token": sessionToken }),
            },
            credentials: { ...credentials, sessionToken },
          };
          expect(nodeSigner.authorization(request)).toBe(await portableSigner.authorization(request));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("encodeKey", () => {
  it.each([
    ["plain/key.txt", "plain/key.txt"],
    ["a b", "a%20b"],
    ["a+b", "a%2Bb"],
    ["100%", "100%25"],
    ["x#y", "x%23y"],
    ["what?", "what%3F"],
    ["héllo wörld", "h%C3%A9llo%20w%C3%B6rld"],
    ["emoji-😀", "emoji-%F0%9F%98%80"],
    ["it's (a) *star*!", "it%27s%20%28a%29%20%2Astar%2A%21"],
    ["keep-_.~/slashes", "keep-_.~/slashes"],
    ["a:b=c&d", "a%3Ab%3Dc%26d"],
  ])("%j -> %j", (key, encoded) => {
    expect(encodeKey(key)).toBe(encoded);
    expect(decodeURIComponent(encoded)).toBe(key);
  });

  it("encodeQuery sorts and encodes names and values", () => {
    expect(encodeQuery({ prefix: "a b/", "list-type": "2", delimiter: "/", skip: undefined, uploads: "" })).toBe(
      "delimiter=%2F&list-type=2&prefix=a%20b%2F&uploads=",
    );
  });
});

describe("encodeKey", () => {
  // RFC 3986 percent-encoding of every UTF-8 byte but the unreserved set and `/`.
  const reference = (key: string) =>
    encodeURIComponent(key)
      .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%2F/g, "/");

  it("leaves keys of unreserved characters as they are and escapes everything else", () => {
    expect(encodeKey("logs/2026-12-07_a.~b")).toBe("logs/2026-12-07_a.~b");
    expect(encodeKey("a b/c+d!é")).toBe("a%20b/c%2Bd%21%C3%A9");
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9\-_.~/]*$/), fc.string({ unit: "grapheme" })),
        (key) => {
          expect(encodeKey(key)).toBe(reference(key));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
