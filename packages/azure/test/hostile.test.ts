// AzureBlobFs against a fake Blob service that answers wrong on purpose (DESIGN.md, "Trust
// nothing a server says"): every call ends with correct bytes or a FusioError, in bounded time
// and memory, with each of fusio's HTTP clients.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AzureBlobFs } from "@fusio/azure";
import { FusioError, type HttpClient } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { startServer, type TestServer } from "@fusio-internal/test-support/http-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CONTAINER = "/acct/c";
const blob = (key: string): string => `${CONTAINER}/${key}`;

/** A List Blobs page: blobs (`size` as the server writes it), prefixes (`/` kept as given), a marker. */
function listPage(
  entries: Array<{ name: string; size?: string | undefined; prefix?: boolean; encoded?: boolean }>,
  next?: string,
): string {
  let xml = '<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>';
  for (const { name, size = "1", prefix, encoded } of entries) {
    const element = `<Name${encoded ? ' Encoded="true"' : ""}>${name}</Name>`;
    if (prefix) xml += `<BlobPrefix>${element}</BlobPrefix>`;
    else {
      const length = size === "" ? "" : `<Content-Length>${size}</Content-Length>`;
      xml += `<Blob>${element}<Properties><Etag>0x1</Etag>${length}</Properties></Blob>`;
    }
  }
  return `${xml}</Blobs>${next === undefined ? "<NextMarker/>" : `<NextMarker>${next}</NextMarker>`}</EnumerationResults>`;
}

function xml(response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/xml", ...headers }).end(body);
}

/** Answers HEAD with `headers` (a blob's properties) and GET with `get`. */
function blobRoute(
  headers: Record<string, string>,
  get?: (request: IncomingMessage, response: ServerResponse) => void,
) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method === "HEAD") response.writeHead(200, headers).end();
    else if (get !== undefined) get(request, response);
    else response.writeHead(405).end();
  };
}

/** Collects a listing's paths (directories with a trailing `/`). */
async function listed(fs: AzureBlobFs, dir: string, recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of fs.list(dir, { recursive }))
    out.push(entry.isDirectory ? `${entry.path.raw}/` : entry.path.raw);
  return out;
}

const isKind =
  (kind: FusioError["kind"], ...words: string[]) =>
  (error: unknown): boolean =>
    FusioError.is(error, kind) && words.every((word) => error.message.includes(word));

const clients: Array<[string, () => HttpClient | undefined]> = [
  ["the default client", () => undefined],
  ["FetchHttpClient", () => new FetchHttpClient()],
  ["UndiciHttpClient", () => new UndiciHttpClient()],
];

describe.each(clients)("AzureBlobFs against a hostile Blob service (%s)", (_, makeClient) => {
  let server: TestServer;
  let http: HttpClient | undefined;

  beforeAll(async () => {
    server = await startServer();
    http = makeClient();
  });
  afterAll(async () => {
    await (http as { close?: () => Promise<void> } | undefined)?.close?.();
    await server.close();
  });

  const azure = (timeout = 5_000): AzureBlobFs =>
    new AzureBlobFs({
      account: "acct",
      container: "c",
      endpoint: `${server.url}/acct`,
      credential: { anonymous: true },
      http,
      retry: false,
      timeout,
    });

  describe("every loop ends", () => {
    it("a NextMarker given twice stops the listing with Remote", async () => {
      let requests = 0;
      server.route(CONTAINER, (_request, response) => {
        // Today's main asks forever; past 20 pages the listing ends, so the test fails instead of hanging.
        requests++;
        xml(response, 200, listPage([{ name: "a" }], requests < 20 ? "same" : undefined));
      });
      await expect(listed(azure(), "", true)).rejects.toSatisfy(isKind("Remote", "marker"));
      expect(requests).toBe(2);
    });

    it("a cycle of markers (A, B, A) stops the listing with Remote", async () => {
      let requests = 0;
      server.route(CONTAINER, (_request, response) => {
        requests++;
        xml(response, 200, listPage([{ name: `k${requests}` }], requests < 20 ? ["A", "B"][requests % 2] : undefined));
      });
      await expect(listed(azure(), "", true)).rejects.toSatisfy(isKind("Remote", "marker"));
      expect(requests).toBe(3);
    });

    it("a Copy Blob that stays pending fails Timeout within the call's timeout", async () => {
      let polls = 0;
      server.route(blob("copy-target"), (request, response) => {
        // Today's main polls every 2 s forever; after 30 polls the copy succeeds instead.
        if (request.method === "HEAD") polls++;
        const status = polls < 30 ? "pending" : "success";
        response.writeHead(request.method === "PUT" ? 202 : 200, {
          "x-ms-copy-status": status,
          "x-ms-copy-id": "copy-1",
          "content-length": "0",
        });
        response.end();
      });
      const started = Date.now();
      await expect(azure(400).copy("copy-source", "copy-target")).rejects.toSatisfy(isKind("Timeout", "pending"));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(polls).toBeLessThan(10);
    });

    it("the signal stops the polling of a pending copy", async () => {
      server.route(blob("copy-target"), (request, response) => {
        response.writeHead(request.method === "PUT" ? 202 : 200, {
          "x-ms-copy-status": "pending",
          "x-ms-copy-id": "copy-1",
          "content-length": "0",
        });
        response.end();
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await expect(azure(0).copy("copy-source", "copy-target", { signal: controller.signal })).rejects.toSatisfy(
        (error) => FusioError.is(error, "Aborted"),
      );
    });
  });

  describe("every number is checked", () => {
    it.each(["-1", "NaN", "1e20", "1.5", "9007199254740993", "", " 5"])(
      "a listed size of %j rejects Remote",
      async (size) => {
        server.route(CONTAINER, (_request, response) => xml(response, 200, listPage([{ name: "a", size }])));
        await expect(listed(azure(), "", true)).rejects.toSatisfy(isKind("Remote"));
      },
    );

    // Raw answers: Node's server would add a Content-Length of its own, or refuse one it cannot parse.
    const rawHead = (headers: string) => (_request: IncomingMessage, response: ServerResponse) => {
      response.socket?.end(`HTTP/1.1 200 OK\r\n${headers}connection: close\r\n\r\n`);
    };

    it("HEAD without a Content-Length: stat and open reject Remote naming the header", async () => {
      server.route(blob("no-length"), rawHead(""));
      const fs = azure();
      await expect(fs.stat("no-length")).rejects.toSatisfy(isKind("Remote", "Content-Length"));
      await expect(fs.open("no-length")).rejects.toSatisfy(isKind("Remote", "Content-Length"));
    });

    // 2^60 and 2^53 + 1.
    it.each(["1152921504606846976", "9007199254740993"])(
      "HEAD with a Content-Length of %s rejects Remote",
      async (length) => {
        server.route(blob("bad-length"), rawHead(`content-length: ${length}\r\n`));
        const fs = azure();
        await expect(fs.stat("bad-length")).rejects.toSatisfy(isKind("Remote", "Content-Length"));
        await expect(fs.open("bad-length")).rejects.toSatisfy(isKind("Remote", "Content-Length"));
      },
    );
  });

  describe("ranged reads check the status and Content-Range", () => {
    const bytes = Buffer.from("0123456789");

    it("readToEndAt from a server that ignores Range rejects Remote instead of returning bytes from 0", async () => {
      server.route(
        blob("ignored-range"),
        blobRoute({ "content-length": "10" }, (_request, response) =>
          response.writeHead(200, { "content-length": "10" }).end(bytes),
        ),
      );
      const file = await azure().open("ignored-range");
      await expect(file.readToEndAt(4)).rejects.toSatisfy(isKind("Remote", "206"));
      await expect(file.readExactAt(new Uint8Array(3), 4)).rejects.toSatisfy(isKind("Remote", "206"));
      await file.close();
    });

    it("readToEndAt rejects a 206 that starts elsewhere or stops before the end", async () => {
      let range = "bytes 0-5/10";
      server.route(
        blob("wrong-range"),
        blobRoute({ "content-length": "10" }, (_request, response) => {
          const [, start = "0", end = "0"] = /(\d+)-(\d+)/.exec(range) ?? [];
          response.writeHead(206, { "content-range": range }).end(bytes.subarray(Number(start), Number(end) + 1));
        }),
      );
      const file = await azure().open("wrong-range");
      await expect(file.readToEndAt(4)).rejects.toSatisfy(isKind("Remote"));
      range = "bytes 4-6/10";
      await expect(file.readToEndAt(4)).rejects.toSatisfy(isKind("Remote"));
      range = "bytes 4-9/10";
      expect(Buffer.from(await file.readToEndAt(4)).toString()).toBe("456789");
      await file.close();
    });

    it("a length claim no array can hold rejects Remote before anything is allocated", async () => {
      const huge = 2 ** 40;
      server.route(
        blob("huge"),
        blobRoute({ "content-length": "10" }, (request, response) => {
          const ranged = request.headers["x-ms-range"] !== undefined;
          response.writeHead(ranged ? 206 : 200, {
            "content-length": String(ranged ? huge - 4 : huge),
            ...(ranged && { "content-range": `bytes 4-${huge - 1}/${huge}` }),
          });
          // A few bytes of the claimed terabyte; the client must give up before reading on.
          response.write(bytes);
        }),
      );
      const file = await azure().open("huge");
      await expect(file.readToEndAt(0)).rejects.toSatisfy(isKind("Remote"));
      await expect(file.readToEndAt(4)).rejects.toSatisfy(isKind("Remote"));
      await file.close();
    });

    it("readExactAt: a 206 without Content-Range names the header and the CORS rule", async () => {
      server.route(
        blob("no-range"),
        blobRoute({ "content-length": "10" }, (_request, response) =>
          response.writeHead(206).end(bytes.subarray(0, 4)),
        ),
      );
      const file = await azure().open("no-range");
      await expect(file.readExactAt(new Uint8Array(4), 0)).rejects.toSatisfy(isKind("Remote", "Content-Range", "CORS"));
      await file.close();
    });

    it("readExactAt: a range cut short where the blob does not end is Remote, not UnexpectedEof", async () => {
      let range = "bytes 0-3/100";
      server.route(
        blob("short-range"),
        blobRoute({ "content-length": "100" }, (_request, response) =>
          response.writeHead(206, { "content-range": range }).end(bytes.subarray(0, 4)),
        ),
      );
      const file = await azure().open("short-range");
      await expect(file.readExactAt(new Uint8Array(10), 0)).rejects.toSatisfy(isKind("Remote"));
      // Where the blob does end, it is the end of the file.
      range = "bytes 0-3/4";
      await expect(file.readExactAt(new Uint8Array(10), 0)).rejects.toSatisfy((error) =>
        FusioError.is(error, "UnexpectedEof"),
      );
      await file.close();
    });

    it("loadWithTag without an ETag names the header and the CORS rule", async () => {
      server.route(blob("no-etag"), (_request, response) =>
        response.writeHead(200, { "content-length": "10" }).end(bytes),
      );
      await expect(azure().loadWithTag("no-etag")).rejects.toSatisfy(isKind("Remote", "ETag", "CORS"));
    });
  });

  describe("keys are never renamed", () => {
    it("a listed name a Path would change or refuse is skipped, not renamed", async () => {
      const names = ["/lead", "ok", "trail/", "a//b", "x/./y", "bad-@"];
      const [head = "", tail = ""] = listPage(names.map((name) => ({ name }))).split("@");
      // Invalid UTF-8 in a name decodes to U+FFFD: another key.
      const page = Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe]), Buffer.from(tail)]);
      server.route(CONTAINER, (_request, response) => xml(response, 200, page));
      expect(await listed(azure(), "", true)).toEqual(["ok"]);
    });

    it("entries outside the requested prefix are dropped", async () => {
      server.route(CONTAINER, (_request, response) =>
        xml(
          response,
          200,
          listPage([{ name: "mine/a" }, { name: "mine2/x" }, { name: "other/secret" }, { name: "mine/" }]),
        ),
      );
      expect(await listed(azure(), "mine", true)).toEqual(["mine/a"]);
    });

    it("a listing by directory drops prefixes without their `/`, and entries below a child", async () => {
      server.route(CONTAINER, (_request, response) =>
        xml(
          response,
          200,
          listPage([
            { name: "mine/d/", prefix: true },
            { name: "mine/e", prefix: true },
            { name: "mine/x/y" },
            { name: "mine/f" },
            { name: "mine/g//", prefix: true },
          ]),
        ),
      );
      expect(await listed(azure(), "mine", false)).toEqual(["mine/d/", "mine/f"]);
    });
  });

  describe("every body read is bounded", () => {
    it("a 20 MiB error message becomes a short excerpt", async () => {
      const message = "m".repeat(20 * 1024 * 1024);
      server.route(blob("loud"), (_request, response) =>
        xml(response, 400, `<?xml version="1.0"?><Error><Code>Loud</Code><Message>${message}</Message></Error>`),
      );
      server.route(blob("chatty"), (_request, response) =>
        xml(
          response,
          400,
          `<?xml version="1.0"?><Error><Code>Chatty</Code><Message>${"c".repeat(1000)}</Message></Error>`,
        ),
      );
      const fs = azure();
      for (const key of ["loud", "chatty"]) {
        const error = await fs.loadWithTag(key).catch((caught: unknown) => caught);
        expect(FusioError.is(error, "InvalidArgument")).toBe(true);
        expect((error as Error).message.length).toBeLessThan(300);
      }
    });

    it("a listing page larger than any real one is refused", async () => {
      const page = listPage([{ name: "a" }]);
      const padding = Buffer.alloc(1024 * 1024, 0x20);
      server.route(CONTAINER, (_request, response) => {
        response.writeHead(200, { "content-type": "application/xml" });
        response.write(page.slice(0, page.indexOf("<Blobs>")));
        // 65 MiB of whitespace between the elements, then the page.
        let sent = 0;
        const pump = (): void => {
          while (sent < 65) {
            sent++;
            if (!response.write(padding)) {
              response.once("drain", pump);
              return;
            }
          }
          response.end(page.slice(page.indexOf("<Blobs>")));
        };
        pump();
      });
      await expect(listed(azure(), "", true)).rejects.toSatisfy(isKind("Remote", "over"));
    });
  });

  describe("no raw exception escapes", () => {
    it("an error body with a character reference outside Unicode or a bad percent-escape maps by status", async () => {
      let body = "";
      let status = 404;
      server.route(blob("odd-error"), (_request, response) => xml(response, status, body));
      const fs = azure();
      for (const odd of [
        "<Error><Code>Odd</Code><Message>&#x110000;</Message></Error>",
        '<Error><Code Encoded="true">%E0%A4%A</Code><Message>x</Message></Error>',
        "<Error><Code>&#99999999999;</Code></Error>",
      ]) {
        body = odd;
        status = 404;
        await expect(fs.loadWithTag("odd-error")).resolves.toBeUndefined();
        status = 403;
        await expect(fs.loadWithTag("odd-error")).rejects.toSatisfy((error) =>
          FusioError.is(error, "PermissionDenied"),
        );
      }
    });

    it("an append's listing with a bad percent-escape or a reference outside Unicode is Remote", async () => {
      let name = "";
      server.route(CONTAINER, (_request, response) => xml(response, 200, listPage([{ name, encoded: true }])));
      const fs = azure();
      for (const odd of ["%E0%A4%A", "app&#x110000;"]) {
        name = odd;
        await expect(fs.open("app", { write: true })).rejects.toSatisfy(isKind("Remote"));
      }
    });
  });
});
