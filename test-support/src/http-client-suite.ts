// The behaviour suite of fusio's fetch HttpClients, written once: @fusio/http runs it for
// FetchHttpClient under Node, @fusio/bun for BunHttpClient in Bun, @fusio/deno for
// DenoHttpClient in Deno.
import { createServer as createTcpServer } from "node:net";
import { gzipSync } from "node:zlib";
import { FusioError, type HttpClient } from "@fusio/core";
import type * as vitest from "vitest";
import { collect, readAll, signal, startServer, type TestServer } from "./http-server.ts";

/** How the suite makes the client under test. */
export interface HttpClientSubject {
  /** A client with these options (the client's own default timeout when none is given). */
  create(options?: { timeout?: number }): HttpClient;
  /**
   * True when the client hands over the stored bytes even when the server compresses anyway
   * (Bun with `decompress: false`, Deno); Node's fetch always decodes a `content-encoding`.
   */
  rawBodies: boolean;
}

/** The vitest functions the suite uses. */
export type SuiteApi = Pick<typeof vitest, "describe" | "it" | "expect" | "beforeEach" | "afterEach">;

const SECRET = "sig=TOPSECRETSIGNATURE";

async function rejection(promise: Promise<unknown>): Promise<FusioError> {
  try {
    await promise;
  } catch (error) {
    if (FusioError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

function leaks(error: FusioError): boolean {
  let text = `${String(error)} ${error.stack ?? ""}`;
  for (let cause = error.cause as { message?: string; cause?: unknown } | undefined; cause; ) {
    text += ` ${String(cause.message)} ${JSON.stringify(cause)}`;
    cause = cause.cause as typeof cause;
  }
  return text.includes("TOPSECRET");
}

/** Registers the suite for the client `subject` makes, under the name `name`. */
export function describeHttpClient(name: string, subject: HttpClientSubject, api: SuiteApi): void {
  const { describe, it, expect, beforeEach, afterEach } = api;
  const create = subject.create;
  let server: TestServer;
  const client = create();

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe(name, () => {
    it("returns status and headers, and streams the response body as it arrives", async () => {
      const more = signal();
      server.route("/stream", (_request, response) => {
        response.writeHead(200, { "x-answer": "42" });
        response.write("first;");
        void more.promise.then(() => response.end("second"));
      });
      const response = await client.send({ method: "GET", url: `${server.url}/stream`, headers: {} });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-answer")).toBe("42");
      const chunks: string[] = [];
      for await (const chunk of response.body) {
        chunks.push(new TextDecoder().decode(chunk));
        // The second chunk is only sent once the first has arrived here.
        if (chunks.length === 1) more.resolve();
      }
      expect(chunks.join("")).toBe("first;second");
    });

    it("sends a buffer body with its length", async () => {
      server.route("/echo", async (request, response) => {
        const body = await readAll(request);
        response.end(`${request.method} ${request.headers["content-length"]} ${body.toString()}`);
      });
      const response = await client.send({
        method: "PUT",
        url: `${server.url}/echo`,
        headers: { "content-type": "text/plain" },
        body: new TextEncoder().encode("hello"),
      });
      expect(new TextDecoder().decode(await collect(response.body))).toBe("PUT 5 hello");
      // A view into a larger buffer sends only its own bytes.
      const view = new TextEncoder().encode("xxhello worldxx").subarray(2, 13);
      const viewed = await client.send({ method: "PUT", url: `${server.url}/echo`, headers: {}, body: view });
      expect(new TextDecoder().decode(await collect(viewed.body))).toBe("PUT 11 hello world");
    });

    it("streams a chunk-iterable body: the second chunk is pulled after the server got the first", async () => {
      const gotFirst = signal();
      server.route("/echo", (request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          gotFirst.resolve();
        });
        request.on("end", () => response.end(Buffer.concat(chunks)));
      });
      async function* body(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array([1, 2, 3]);
        await gotFirst.promise;
        yield new Uint8Array([4, 5]);
      }
      const response = await client.send({ method: "PUT", url: `${server.url}/echo`, headers: {}, body: body() });
      expect([...(await collect(response.body))]).toEqual([1, 2, 3, 4, 5]);
    });

    it("rejects with the body iterable's own FusioError, or Io for any other error", async () => {
      server.route("/sink", (request, response) => {
        request.resume();
        request.on("end", () => response.end());
      });
      async function* failing(error: unknown): AsyncGenerator<Uint8Array> {
        yield new Uint8Array([1]);
        throw error;
      }
      const own = new FusioError("Aborted", "the producer gave up");
      expect(
        await rejection(client.send({ method: "PUT", url: `${server.url}/sink`, headers: {}, body: failing(own) })),
      ).toBe(own);
      const io = await rejection(
        client.send({ method: "PUT", url: `${server.url}/sink`, headers: {}, body: failing(new Error("disk")) }),
      );
      expect(io.kind).toBe("Io");
    });

    it("resolves HTTP error statuses and does not follow redirects", async () => {
      server.route("/fail", (_request, response) => response.writeHead(503, { "retry-after": "1" }).end("busy"));
      server.route("/moved", (_request, response) => response.writeHead(302, { location: "/elsewhere" }).end());
      const failed = await client.send({ method: "GET", url: `${server.url}/fail`, headers: {} });
      expect(failed.status).toBe(503);
      expect(new TextDecoder().decode(await collect(failed.body))).toBe("busy");
      const moved = await client.send({ method: "GET", url: `${server.url}/moved`, headers: {} });
      expect(moved.status).toBe(302);
      expect(moved.headers.get("location")).toBe("/elsewhere");
      await collect(moved.body);
      expect(server.requests.map((request) => request.url)).toEqual(["/fail", "/moved"]);
    });

    it(
      subject.rawBodies
        ? "returns stored bytes: asks for identity encoding and never decompresses"
        : "asks for identity encoding (the stored bytes unless the server compresses anyway)",
      async () => {
        const stored = gzipSync(Buffer.from("compressed object"));
        server.route("/object.gz", (request, response) => {
          response.writeHead(200, {
            "content-encoding": "gzip",
            "x-accept": String(request.headers["accept-encoding"]),
          });
          response.end(stored);
        });
        const response = await client.send({ method: "GET", url: `${server.url}/object.gz`, headers: {} });
        expect(response.headers.get("x-accept")).toBe("identity");
        const body = await collect(response.body);
        if (subject.rawBodies) expect([...body]).toEqual([...stored]);
        else expect(new TextDecoder().decode(body)).toBe("compressed object");
      },
    );

    it("answers HEAD and 204 with an empty body", async () => {
      server.route("/empty", (_request, response) => response.writeHead(204).end());
      server.route("/head", (_request, response) => response.writeHead(200, { "content-length": "10" }).end());
      const empty = await client.send({ method: "DELETE", url: `${server.url}/empty`, headers: {} });
      expect(empty.status).toBe(204);
      expect((await collect(empty.body)).length).toBe(0);
      const head = await client.send({ method: "HEAD", url: `${server.url}/head`, headers: {} });
      expect(head.headers.get("content-length")).toBe("10");
      expect((await collect(head.body)).length).toBe(0);
    });

    it("stopping the iteration early releases the connection", async () => {
      const closed = signal();
      server.route("/big", (_request, response) => {
        response.on("close", () => closed.resolve());
        response.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once("drain", pump);
        };
        pump();
      });
      const response = await client.send({ method: "GET", url: `${server.url}/big`, headers: {} });
      for await (const chunk of response.body) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
      await closed.promise;
    });

    it("rejects Aborted before sending when the signal already fired", async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(
        client.send({ method: "GET", url: `${server.url}/x`, headers: {}, signal: controller.signal }),
      );
      expect(error.kind).toBe("Aborted");
      expect(server.requests.length).toBe(0);
    });

    it("rejects Aborted when the signal fires while waiting for the answer", async () => {
      const arrived = signal();
      server.route("/hang", () => arrived.resolve());
      const controller = new AbortController();
      const pending = client.send({ method: "GET", url: `${server.url}/hang`, headers: {}, signal: controller.signal });
      await arrived.promise;
      controller.abort();
      expect((await rejection(pending)).kind).toBe("Aborted");
    });

    it("rejects Aborted when the signal fires while the body is being read", async () => {
      server.route("/slow", (_request, response) => {
        response.writeHead(200);
        response.write("part");
      });
      const controller = new AbortController();
      const response = await client.send({
        method: "GET",
        url: `${server.url}/slow`,
        headers: {},
        signal: controller.signal,
      });
      const error = await rejection(
        (async () => {
          for await (const _chunk of response.body) controller.abort();
        })(),
      );
      expect(error.kind).toBe("Aborted");
    });

    it("rejects Timeout (retryable) when no answer comes within the timeout", async () => {
      server.route("/hang", () => undefined);
      const error = await rejection(
        create({ timeout: 50 }).send({ method: "GET", url: `${server.url}/hang`, headers: {} }),
      );
      expect(error.kind).toBe("Timeout");
      expect(error.retryable).toBe(true);
    });

    it("rejects Timeout when the body stalls, though a slow consumer is not timed", async () => {
      server.route("/stall", (_request, response) => {
        response.writeHead(200);
        response.write("part");
      });
      server.route("/ok", (_request, response) => {
        response.writeHead(200);
        response.write("a");
        setTimeout(() => response.end("b"), 10);
      });
      const stalled = await create({ timeout: 50 }).send({
        method: "GET",
        url: `${server.url}/stall`,
        headers: {},
      });
      expect((await rejection(collect(stalled.body))).kind).toBe("Timeout");
      // A consumer that holds a chunk longer than the timeout is not a stall. (The timeout is
      // roomy so that a loaded machine cannot make the server itself look stalled.)
      const ok = await create({ timeout: 400 }).send({ method: "GET", url: `${server.url}/ok`, headers: {} });
      let text = "";
      for await (const chunk of ok.body) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        text += new TextDecoder().decode(chunk);
      }
      expect(text).toBe("ab");
    });

    it("enforces a request's own timeout (the shorter of it and the client's wins) and names errors after its context", async () => {
      server.route("/hang", () => undefined);
      server.route("/stall", (_request, response) => {
        response.writeHead(200);
        response.write("part");
      });
      const context = { op: "readExactAt", path: "a/key", backend: "s3" };
      expect(client.enforcesTimeout).toBe(true);
      const hang = await rejection(
        client.send({ method: "GET", url: `${server.url}/hang?${SECRET}`, headers: {}, timeout: 50, context }),
      );
      expect(hang).toMatchObject({ kind: "Timeout", retryable: true, ...context });
      const stalled = await client.send({
        method: "GET",
        url: `${server.url}/stall`,
        headers: {},
        timeout: 50,
        context,
      });
      expect(await rejection(collect(stalled.body))).toMatchObject({ kind: "Timeout", ...context });
      // The client's own 50 ms is shorter than the request's minute.
      const shorter = await rejection(
        create({ timeout: 50 }).send({ method: "GET", url: `${server.url}/hang`, headers: {}, timeout: 60_000 }),
      );
      expect(shorter.kind).toBe("Timeout");
      const controller = new AbortController();
      const pending = client.send({
        method: "GET",
        url: `${server.url}/hang`,
        headers: {},
        signal: controller.signal,
        context,
      });
      controller.abort();
      expect(await rejection(pending)).toMatchObject({ kind: "Aborted", ...context });
      expect(leaks(hang)).toBe(false);
    });

    it("an upload that keeps going is not a stall, however long it takes in all; a slow producer neither", async () => {
      server.route("/upload", async (request, response) => {
        const body = await readAll(request);
        response.end(String(body.length));
      });
      async function* slowly(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 6; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          yield new Uint8Array(1000);
        }
      }
      // 6 chunks 100 ms apart: the upload takes longer than the timeout, and no wait on the
      // network comes near it even on a loaded machine.
      const response = await create({ timeout: 450 }).send({
        method: "PUT",
        url: `${server.url}/upload`,
        headers: {},
        body: slowly(),
      });
      expect(new TextDecoder().decode(await collect(response.body))).toBe("6000");
    });

    it("a small body of known length that stalls or is aborted rejects Timeout or Aborted too", async () => {
      server.route("/short", (_request, response) => {
        response.writeHead(200, { "content-length": "10" });
        response.write("abcd");
      });
      const stalled = await create({ timeout: 50 }).send({
        method: "GET",
        url: `${server.url}/short`,
        headers: {},
      });
      expect((await rejection(collect(stalled.body))).kind).toBe("Timeout");
      const controller = new AbortController();
      const aborted = await client.send({
        method: "GET",
        url: `${server.url}/short`,
        headers: {},
        signal: controller.signal,
      });
      const reading = rejection(collect(aborted.body));
      controller.abort();
      expect((await reading).kind).toBe("Aborted");
    });

    it("bodies of every size arrive whole, in order", async () => {
      const sizes = [0, 1, 4096, 65_536, 65_537, 1024 * 1024 + 3];
      server.route("/sized", (request, response) => {
        const size = Number(new URL(request.url ?? "", "http://x").searchParams.get("n"));
        response.writeHead(200, { "content-length": String(size) });
        response.end(Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) & 0xff)));
      });
      for (const size of sizes) {
        const response = await client.send({ method: "GET", url: `${server.url}/sized?n=${size}`, headers: {} });
        const body = await collect(response.body);
        expect(body.length).toBe(size);
        expect(body.every((byte, i) => byte === ((i * 7) & 0xff))).toBe(true);
      }
    });

    it("rejects Io (retryable) for a refused connection, with no URL query in the error", async () => {
      const probe = createTcpServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const { port } = probe.address() as { port: number };
      await new Promise((resolve) => probe.close(resolve));
      const error = await rejection(
        client.send({ method: "GET", url: `http://127.0.0.1:${port}/k?${SECRET}`, headers: {} }),
      );
      expect(error.kind).toBe("Io");
      expect(error.retryable).toBe(true);
      expect(leaks(error)).toBe(false);
    });

    it("rejects Io for a connection reset in the middle of the body, with no URL query in the error", async () => {
      server.route("/reset", (_request, response) => {
        response.writeHead(200, { "content-length": "100" });
        response.write("abc", () => setTimeout(() => response.socket?.destroy(), 20));
      });
      const response = await client.send({ method: "GET", url: `${server.url}/reset?${SECRET}`, headers: {} });
      const error = await rejection(collect(response.body));
      expect(error.kind).toBe("Io");
      expect(leaks(error)).toBe(false);
    });

    it("rejects a bad timeout option with InvalidArgument", () => {
      for (const timeout of [-1, 1.5, Number.NaN]) {
        let kind: string | undefined;
        try {
          create({ timeout });
        } catch (error) {
          kind = FusioError.is(error) ? error.kind : "other";
        }
        expect(kind).toBe("InvalidArgument");
      }
    });
  });
}
