// S3Fs against a fake S3 server that answers wrong on purpose (DESIGN.md, "Trust nothing a
// server says"): every call ends, bounded, with correct bytes or a FusioError; credentials stay
// on the configured origin; listed keys are never renamed. Run with the default client and with
// both of fusio's clients.
import type { IncomingMessage, ServerResponse } from "node:http";
import { FusioError, type HttpClient } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { S3Fs } from "@fusio/s3";
import { readAll, startServer, type TestServer } from "@fusio-internal/test-support/http-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const BUCKET = "b";
const SESSION_TOKEN = "SESSION-TOKEN-NEVER-ELSEWHERE";
const PART = 5 * 1024 * 1024;

const clients: Array<[string, () => HttpClient | undefined]> = [
  ["the default client", () => undefined],
  ["FetchHttpClient", () => new FetchHttpClient()],
  ["UndiciHttpClient", () => new UndiciHttpClient()],
];

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<FusioError> {
  try {
    await promise;
  } catch (error) {
    expect(FusioError.is(error), String(error)).toBe(true);
    return error as FusioError;
  }
  throw new Error("expected a rejection");
}

/** Every entry of `fs.list(dir)`, as raw paths. */
async function listed(fs: S3Fs, dir: string, recursive = false): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of fs.list(dir, { recursive })) out.push(entry.path.raw);
  return out;
}

const xmlPage = (body: string, extra = ""): string =>
  `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>${extra}${body}</ListBucketResult>`;

const entry = (key: string, size: string | number = 1): string =>
  `<Contents><Key>${key}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;e&quot;</ETag><Size>${size}</Size></Contents>`;

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer = "",
): void {
  response.writeHead(status, headers);
  response.end(body);
}

describe.each(clients)("with %s", (_name, makeClient) => {
  let server: TestServer;
  let elsewhere: TestServer;
  let fs: S3Fs;

  beforeAll(async () => {
    server = await startServer();
    elsewhere = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await elsewhere.close();
  });

  afterEach(() => {
    server.requests.length = 0;
    elsewhere.requests.length = 0;
  });

  const newFs = (): S3Fs => {
    const http = makeClient();
    return new S3Fs({
      bucket: BUCKET,
      endpoint: server.url,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: SESSION_TOKEN },
      partSize: PART,
      concurrency: 1,
      timeout: 10_000,
      retry: { maxAttempts: 2, baseDelay: 1, maxDelay: 2 },
      ...(http && { http }),
    });
  };

  beforeAll(() => {
    fs = newFs();
  });

  /** Answers list requests of the bucket with `answer(query)`. */
  const onList = (answer: (query: URLSearchParams, response: ServerResponse) => void): void =>
    server.route(`/${BUCKET}/`, (request, response) =>
      answer(new URL(request.url ?? "/", "http://x").searchParams, response),
    );

  const onKey = (key: string, answer: (request: IncomingMessage, response: ServerResponse) => void): void =>
    server.route(`/${BUCKET}/${key}`, answer);

  describe("every loop ends", () => {
    it("a repeated continuation token rejects Remote", async () => {
      let page = 0;
      onList((_query, response) => {
        page++;
        const body = xmlPage(
          entry(`mine/k${page}`),
          "<IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken>",
        );
        send(response, 200, { "content-type": "application/xml" }, body);
      });
      expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
      expect(page).toBeLessThanOrEqual(3);
    });
  });

  describe("every number is checked", () => {
    it.each(["-1", "NaN", "1e20", "1.5", "99999999999999999999", ""])(
      "a listed Size of %j rejects Remote",
      async (size) => {
        onList((_query, response) =>
          send(response, 200, {}, xmlPage(entry("mine/a", size), "<IsTruncated>false</IsTruncated>")),
        );
        expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
      },
    );

    it("a HEAD without Content-Length is an error naming the header, not size 0", async () => {
      onKey("k", (_request, response) => send(response, 200, { etag: '"e"' }));
      const error = await failure(fs.stat("k"));
      expect(error.kind).toBe("Remote");
      expect(error.message).toMatch(/Content-Length.*Expose/);
      expect((await failure(fs.open("k"))).kind).toBe("Remote");
    });

    // A malformed Content-Length ("-5", "1e3") never gets past an HTTP/1.1 parser (the clients
    // reject it); one too large for a safe integer does, and the property test covers the rest.
    it("a HEAD Content-Length of 2^60 rejects Remote", async () => {
      onKey("k", (_request, response) => send(response, 200, { "content-length": String(2 ** 60), etag: '"e"' }));
      expect((await failure(fs.stat("k"))).kind).toBe("Remote");
    });

    /** An object of 10 bytes whose GETs `answer` serves. */
    const object = (answer: (range: string | undefined, response: ServerResponse) => void): void =>
      onKey("obj", (request, response) => {
        if (request.method === "HEAD") send(response, 200, { "content-length": "10", etag: '"e"' });
        else answer(request.headers.range, response);
      });

    it("a 206 without Content-Range is an error naming the header", async () => {
      object((_range, response) => send(response, 206, {}, "0123456789".slice(2, 6)));
      const file = await fs.open("obj");
      const error = await failure(file.readExactAt(new Uint8Array(4), 2));
      expect(error.kind).toBe("Remote");
      expect(error.message).toMatch(/Content-Range.*Expose/);
      expect((await failure(file.readToEndAt(2))).kind).toBe("Remote");
    });

    it("readToEndAt checks the range it got: the start, the end of the object, the length", async () => {
      const file = await fs.open("obj");
      object((_range, response) => send(response, 206, { "content-range": "bytes 0-9/10" }, "0123456789"));
      expect((await failure(file.readToEndAt(3))).kind).toBe("Remote");
      object((_range, response) => send(response, 206, { "content-range": "bytes 3-5/10" }, "345"));
      expect((await failure(file.readToEndAt(3))).kind).toBe("Remote");
      object((_range, response) =>
        send(response, 206, { "content-range": "bytes 3-9/10", "content-length": "3" }, "345"),
      );
      expect((await failure(file.readToEndAt(3))).kind).toBe("Remote");
      object((_range, response) => send(response, 206, { "content-range": "bytes 9-3/10" }, ""));
      expect((await failure(file.readToEndAt(3))).kind).toBe("Remote");
    });

    it("a 206 claiming a terabyte rejects Remote before allocating it", async () => {
      const file = await fs.open("obj");
      object((_range, response) => {
        response.writeHead(206, { "content-range": `bytes 3-${2 ** 40 + 2}/${2 ** 40 + 3}` });
        response.end("3456789");
      });
      const error = await failure(file.readToEndAt(3));
      expect(error.kind).toBe("Remote");
    });

    it("a ranged read cut short inside the object rejects Remote, not UnexpectedEof", async () => {
      const file = await fs.open("obj");
      object((_range, response) => send(response, 206, { "content-range": "bytes 2-3/10" }, "23"));
      expect((await failure(file.readExactAt(new Uint8Array(4), 2))).kind).toBe("Remote");
    });
  });

  describe("every body read is bounded", () => {
    it("a 20 MiB error message becomes a short excerpt", async () => {
      const message = "x".repeat(20 * 1024 * 1024);
      onKey("denied", (_request, response) =>
        send(
          response,
          403,
          { "content-type": "application/xml" },
          `<Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`,
        ),
      );
      const error = await failure(fs.loadWithTag("denied"));
      expect(error.kind).toBe("PermissionDenied");
      expect(error.message.length).toBeLessThan(1024);
    });

    it("a list page larger than any real one is refused", async () => {
      onList((_query, response) => {
        response.writeHead(200, { "content-type": "application/xml" });
        response.write(`<?xml version="1.0"?><ListBucketResult><Name>b</Name>`);
        const chunk = Buffer.alloc(1024 * 1024, " ");
        for (let i = 0; i < 17; i++) response.write(chunk);
        response.end("</ListBucketResult>");
      });
      expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
    });
  });

  describe("no raw exception escapes", () => {
    it("a character reference outside Unicode in a list page rejects Remote", async () => {
      onList((_query, response) =>
        send(response, 200, {}, xmlPage(entry("mine/a&#x110000;"), "<IsTruncated>false</IsTruncated>")),
      );
      expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
    });

    it("a character reference outside Unicode in an error body keeps the status's kind", async () => {
      onKey("denied", (_request, response) =>
        send(response, 403, {}, "<Error><Code>AccessDenied</Code><Message>&#x110000;</Message></Error>"),
      );
      expect((await failure(fs.loadWithTag("denied"))).kind).toBe("PermissionDenied");
    });

    it("a malformed percent-escape under EncodingType=url rejects Remote", async () => {
      onList((_query, response) =>
        send(
          response,
          200,
          {},
          xmlPage(entry("mine%2Fa%ZZ"), "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"),
        ),
      );
      expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
    });
  });

  describe("credentials never leave the configured origin", () => {
    it.each(["HEAD", "GET"])("a %s redirected to another origin is not followed", async (method) => {
      elsewhere.route(`/${BUCKET}/moved`, (_request, response) =>
        send(response, 200, { "content-length": "3" }, "abc"),
      );
      onKey("moved", (_request, response) =>
        send(response, 307, { location: `${elsewhere.url}/${BUCKET}/moved?x=1`, "content-length": "0" }),
      );
      const error = await failure(method === "HEAD" ? fs.stat("moved") : fs.loadWithTag("moved"));
      expect(error.kind).toBe("Remote");
      expect(error.message).not.toContain(SESSION_TOKEN);
      expect(elsewhere.requests.length).toBe(0);
    });

    it("a list redirected to another origin is not followed", async () => {
      onList((_query, response) => send(response, 301, { location: `${elsewhere.url}/${BUCKET}/` }));
      expect((await failure(listed(fs, "mine"))).kind).toBe("Remote");
      expect(elsewhere.requests.length).toBe(0);
    });
  });

  describe("success means success", () => {
    /** A multipart upload of `big` whose CompleteMultipartUpload answers `complete`. */
    function multipart(complete: (response: ServerResponse) => void, etag = true): { aborted: () => number } {
      let aborted = 0;
      onKey("big", async (request, response) => {
        const query = new URL(request.url ?? "/", "http://x").searchParams;
        await readAll(request);
        if (request.method === "POST" && query.has("uploads")) {
          send(
            response,
            200,
            {},
            `<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>`,
          );
        } else if (request.method === "PUT" && query.has("partNumber")) {
          send(response, 200, etag ? { etag: `"p${query.get("partNumber")}"` } : {});
        } else if (request.method === "POST" && query.has("uploadId")) {
          complete(response);
        } else if (request.method === "DELETE" && query.has("uploadId")) {
          aborted++;
          send(response, 204, {});
        } else {
          send(response, 400, {});
        }
      });
      return { aborted: () => aborted };
    }

    /** Writes a part and a bit, then closes: the first error of the two. */
    async function upload(): Promise<FusioError> {
      const file = await fs.open("big", { create: true, truncate: true });
      let error: unknown;
      try {
        await file.writeAll(new Uint8Array(PART + 1));
      } catch (caught) {
        error = caught;
      }
      try {
        await file.close();
      } catch (caught) {
        error ??= caught;
      }
      return failure(error === undefined ? Promise.resolve() : Promise.reject(error));
    }

    it.each([
      ["a cut-short <Error>", `<?xml version="1.0" encoding="UTF-8"?>\n<Err`],
      ["garbage", "hello"],
      ["an empty body", ""],
      ["another document", "<InitiateMultipartUploadResult></InitiateMultipartUploadResult>"],
      ["an unclosed result", "<CompleteMultipartUploadResult><ETag>x</ETag>"],
    ])("a 200 to CompleteMultipartUpload with %s fails and aborts the upload", async (_what, body) => {
      const state = multipart((response) => send(response, 200, { "content-type": "application/xml" }, body));
      const error = await upload();
      expect(["Remote", "Io"]).toContain(error.kind);
      expect(state.aborted()).toBe(1);
    });

    it("an UploadPart answer without ETag names the header and aborts the upload", async () => {
      const state = multipart((response) => send(response, 200, {}, "<CompleteMultipartUploadResult/>"), false);
      const error = await upload();
      expect(error.kind).toBe("Remote");
      expect(error.message).toMatch(/ETag.*Expose/);
      expect(state.aborted()).toBe(1);
    });
  });

  describe("keys are never renamed", () => {
    it("a listing of mine yields only what is inside mine/, named exactly", async () => {
      let asked: string | null = null;
      onList((query, response) => {
        asked = query.get("prefix");
        const body = [
          entry("mine/a"),
          entry("mine//empty"),
          entry("mine/deep/x"),
          entry("mine/z"),
          entry("mine2/x"),
          entry("other/secret"),
        ].join("");
        const prefixes =
          "<CommonPrefixes><Prefix>mine/d/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>other/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>mine//</Prefix></CommonPrefixes>";
        send(response, 200, {}, xmlPage(body + prefixes, "<IsTruncated>false</IsTruncated>"));
      });
      expect(await listed(fs, "mine")).toEqual(["mine/a", "mine/d", "mine/z"]);
      expect(asked).toBe("mine/");
    });

    it("keys with a leading or trailing / or an empty segment are skipped, not aliased", async () => {
      onList((_query, response) => {
        const body = [entry("/a"), entry("a"), entry("a//b"), entry("b/"), entry("c")].join("");
        send(response, 200, {}, xmlPage(body, "<IsTruncated>false</IsTruncated>"));
      });
      expect(await listed(fs, "", true)).toEqual(["a", "c"]);
    });

    it("a key that is not UTF-8 is skipped, not renamed to U+FFFD", async () => {
      onList((_query, response) => {
        const head = Buffer.from(xmlPage("", "<IsTruncated>false</IsTruncated>").replace("</ListBucketResult>", ""));
        const bad = Buffer.concat([
          Buffer.from("<Contents><Key>mine/"),
          Buffer.from([0xff, 0xfe]),
          Buffer.from("</Key><Size>1</Size></Contents>"),
        ]);
        send(
          response,
          200,
          {},
          Buffer.concat([head, Buffer.from(entry("mine/a")), bad, Buffer.from("</ListBucketResult>")]),
        );
      });
      expect(await listed(fs, "mine")).toEqual(["mine/a"]);
    });

    it("a key that really holds U+FFFD (valid UTF-8) is listed", async () => {
      onList((_query, response) => {
        const body = entry("mine/a") + entry("mine/\uFFFD");
        send(response, 200, {}, xmlPage(body, "<IsTruncated>false</IsTruncated>"));
      });
      expect(await listed(fs, "mine")).toEqual(["mine/a", "mine/\uFFFD"]);
    });

    it("under EncodingType=url, escapes that are not UTF-8 are skipped", async () => {
      onList((_query, response) =>
        send(
          response,
          200,
          {},
          xmlPage(
            entry("mine%2Fa") + entry("mine%2F%FF"),
            "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>",
          ),
        ),
      );
      expect(await listed(fs, "mine")).toEqual(["mine/a"]);
    });
  });

  describe("messages say what is wrong", () => {
    it("a missing bucket says NoSuchBucket on open, though a HEAD 404 has no body", async () => {
      const http = makeClient();
      const other = new S3Fs({ bucket: "nobucket", endpoint: server.url, anonymous: true, ...(http && { http }) });
      const error = await failure(other.open("k"));
      expect(error.kind).toBe("NotFound");
      expect(error.message).toMatch(/NoSuchBucket/);
      expect((await failure(other.stat("k"))).kind).toBe("NotFound");
    });

    it("a missing key in an existing bucket is NotFound without NoSuchBucket", async () => {
      onList((_query, response) => send(response, 200, {}, xmlPage("", "<IsTruncated>false</IsTruncated>")));
      const error = await failure(fs.open("missing"));
      expect(error.kind).toBe("NotFound");
      expect(error.message).not.toMatch(/NoSuchBucket/);
    });

    it("a 403 on open says access was denied", async () => {
      onKey("secret", (_request, response) => send(response, 403, {}));
      const error = await failure(fs.open("secret"));
      expect(error.kind).toBe("PermissionDenied");
      expect(error.message).toMatch(/access denied/);
    });

    it("open of an s3:// URL says paths are keys inside the bucket", async () => {
      const error = await failure(fs.open("s3://b/key"));
      expect(error.kind).toBe("InvalidPath");
      expect(error.message).toMatch(/key inside the configured bucket/);
      expect(server.requests.length).toBe(0);
    });
  });
});
