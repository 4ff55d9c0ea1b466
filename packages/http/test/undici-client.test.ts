// The undici HttpClient against a real node:http server on a free loopback port.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FusioError } from "@fusio/core";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { Agent, type Dispatcher } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const MiB = 1024 * 1024;

function pattern(index: number, size: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i + index * 7) & 0xff);
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts);
}

async function rejection(run: () => Promise<unknown>): Promise<FusioError> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(FusioError.is(error)).toBe(true);
  return error as FusioError;
}

describe("UndiciHttpClient", () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let connections: Socket[];
  let client: UndiciHttpClient;

  beforeEach(async () => {
    connections = [];
    handler = (_request, response) => response.end("ok");
    server = createServer((request, response) => handler(request, response));
    server.on("connection", (socket: Socket) => connections.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new UndiciHttpClient();
  });
  afterEach(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends method, headers and a buffer body; returns status, headers and body; error statuses resolve", async () => {
    handler = async (request, response) => {
      const body = await drain(request);
      response.setHeader("x-method", request.method as string);
      response.setHeader("x-got", `${request.headers["x-custom"]}:${body.toString()}`);
      response.setHeader("set-cookie", ["a=1", "b=2"]);
      response.statusCode = request.url === "/missing" ? 404 : 201;
      response.end("created");
    };
    const response = await client.send({
      method: "PUT",
      url: `${base}/object?x=1`,
      headers: { "x-custom": "yes", "content-type": "text/plain" },
      body: new TextEncoder().encode("payload"),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("X-Method")).toBe("PUT");
    expect(response.headers.get("x-got")).toBe("yes:payload");
    expect(response.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(response.headers.get("x-absent")).toBe(null);
    const all: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      all[name] = value;
    });
    expect(all).toMatchObject({ "x-method": "PUT", "x-got": "yes:payload", "set-cookie": "a=1, b=2" });
    expect(Buffer.from(await drain(response.body)).toString()).toBe("created");
    const missing = await client.send({ method: "GET", url: `${base}/missing`, headers: {} });
    expect(missing.status).toBe(404);
    await drain(missing.body);
  });

  it("keeps connections alive across GET, PUT and HEAD requests", async () => {
    handler = async (request, response) => {
      await drain(request);
      response.setHeader("content-length", "5");
      response.end(request.method === "HEAD" ? undefined : "hello");
    };
    // undici's pool may open a second connection while the first one is being handed back
    // after its first response; after that warm-up, no request may need a new connection.
    for (let i = 0; i < 2; i++)
      await drain((await client.send({ method: "GET", url: `${base}/warm`, headers: {} })).body);
    const warm = connections.length;
    expect(warm).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) {
      for (const method of ["GET", "HEAD", "PUT"]) {
        const response = await client.send({
          method,
          url: `${base}/k${i}`,
          headers: {},
          ...(method === "PUT" ? { body: pattern(i, 1000) } : {}),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("content-length")).toBe("5");
        await drain(response.body);
      }
    }
    expect(connections).toHaveLength(warm);
    expect(connections.every((socket) => !socket.destroyed)).toBe(true);
  });

  it("honours the connection limit per origin", async () => {
    await client.close();
    client = new UndiciHttpClient({ connections: 2 });
    let open = 0;
    let most = 0;
    handler = (_request, response) => {
      most = Math.max(most, ++open);
      setTimeout(() => {
        open--;
        response.end("done");
      }, 20);
    };
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.send({ method: "GET", url: `${base}/${i}`, headers: {} })),
    );
    await Promise.all(responses.map((response) => drain(response.body)));
    expect(connections).toHaveLength(2);
    expect(most).toBeLessThanOrEqual(2);
  });

  it("a server that never answers hits the headers timeout (Timeout, retryable)", async () => {
    await client.close();
    client = new UndiciHttpClient({ headersTimeout: 200 });
    handler = () => undefined;
    const error = await rejection(() => client.send({ method: "GET", url: `${base}/stall`, headers: {} }));
    expect(error.kind).toBe("Timeout");
    expect(error.retryable).toBe(true);
  });

  it("a body that stalls midway hits the body timeout while iterating", async () => {
    await client.close();
    client = new UndiciHttpClient({ bodyTimeout: 200 });
    handler = (_request, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write("first part");
    };
    const response = await client.send({ method: "GET", url: `${base}/slow`, headers: {} });
    const error = await rejection(() => drain(response.body));
    expect(error.kind).toBe("Timeout");
  });

  it("enforces a request's own timeout with undici's timers (the shorter wins), naming errors after its context", async () => {
    expect(client.enforcesTimeout).toBe(true);
    const context = { op: "readExactAt", path: "a/key", backend: "s3" };
    handler = (request, response) => {
      if (request.url?.startsWith("/stall")) return;
      response.writeHead(200, { "content-length": "100" });
      response.write("first part");
      if (request.url === "/slow") setTimeout(() => response.end("x".repeat(90)), 20);
    };
    // A given dispatcher keeps undici's defaults (300 s): only the request's 200 ms can fire.
    const agent = new Agent();
    const given = new UndiciHttpClient({ dispatcher: agent });
    try {
      const headers = await rejection(() =>
        given.send({ method: "GET", url: `${base}/stall?sig=SECRET`, headers: {}, timeout: 200, context }),
      );
      expect(headers).toMatchObject({ kind: "Timeout", retryable: true, ...context });
      const stalled = await given.send({ method: "GET", url: `${base}/body`, headers: {}, timeout: 200, context });
      expect(await rejection(() => drain(stalled.body))).toMatchObject({ kind: "Timeout", ...context });
      // A consumer slower than the timeout is not a stall.
      const slow = await given.send({ method: "GET", url: `${base}/slow`, headers: {}, timeout: 300, context });
      let length = 0;
      for await (const chunk of slow.body) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        length += chunk.length;
      }
      expect(length).toBe(100);
    } finally {
      await agent.close();
    }
    // The client's own 200 ms is shorter than the request's minute.
    await client.close();
    client = new UndiciHttpClient({ headersTimeout: 200 });
    const shorter = await rejection(() =>
      client.send({ method: "GET", url: `${base}/stall`, headers: {}, timeout: 60_000 }),
    );
    expect(shorter.kind).toBe("Timeout");
  });

  it("a refused connection rejects Io, retryable", async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await rejection(() => client.send({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} }));
    expect(error.kind).toBe("Io");
    expect(error.retryable).toBe(true);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });

  it("an aborted signal: before sending nothing goes out; while waiting and mid-body it rejects Aborted", async () => {
    let requests = 0;
    const closed: Array<Promise<void>> = [];
    handler = (request, response) => {
      requests++;
      closed.push(new Promise((resolve) => response.on("close", () => resolve())));
      if (request.url === "/headers") return; // never answers
      response.writeHead(200);
      response.write(pattern(0, 64 * 1024));
      // ... and the rest never comes
    };
    const before = await rejection(() =>
      client.send({ method: "GET", url: `${base}/x`, headers: {}, signal: AbortSignal.abort() }),
    );
    expect(before.kind).toBe("Aborted");
    expect(requests).toBe(0);

    const waiting = new AbortController();
    const pending = client.send({ method: "GET", url: `${base}/headers`, headers: {}, signal: waiting.signal });
    setTimeout(() => waiting.abort(), 50);
    expect((await rejection(() => pending)).kind).toBe("Aborted");

    const midway = new AbortController();
    const response = await client.send({ method: "GET", url: `${base}/body`, headers: {}, signal: midway.signal });
    const chunks = response.body[Symbol.asyncIterator]();
    expect((await chunks.next()).done).toBe(false);
    midway.abort();
    expect((await rejection(() => chunks.next())).kind).toBe("Aborted");
    // The server sees both aborted connections go away.
    await Promise.all(closed);
  });

  it("breaking out of a body early releases it", async () => {
    const closed: Array<Promise<void>> = [];
    handler = (_request, response) => {
      closed.push(new Promise((resolve) => response.on("close", () => resolve())));
      response.writeHead(200);
      response.write(pattern(0, 64 * 1024));
    };
    const response = await client.send({ method: "GET", url: `${base}/partial`, headers: {} });
    for await (const chunk of response.body) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await Promise.all(closed);
  });

  it("releasing a body before reading any of it (how backends discard one) raises no uncaught error", async () => {
    handler = (request, response) => {
      response.writeHead(request.method === "DELETE" ? 204 : 200);
      response.end(request.method === "DELETE" ? undefined : "unread");
    };
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on("uncaughtException", record);
    try {
      for (const method of ["DELETE", "GET"]) {
        const response = await client.send({ method, url: `${base}/discard`, headers: {} });
        await response.body[Symbol.asyncIterator]().return?.();
      }
      // undici reports the destroy of a body no one read on a later turn (setImmediate).
      for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off("uncaughtException", record);
    }
    expect(uncaught).toEqual([]);
    const after = await client.send({ method: "GET", url: `${base}/after`, headers: {} });
    expect(new TextDecoder().decode(await drain(after.body))).toBe("unread");
  });

  it("discarding a body that has fully arrived aborts nothing and keeps the connection", async () => {
    // What every multipart upload does with each UploadPart answer. Destroying such a body made
    // undici abort the (complete) request and build a RequestAbortedError, stack and all.
    handler = (request, response) => {
      response.writeHead(request.method === "DELETE" ? 204 : 200);
      response.end(request.method === "GET" ? "small, unread" : undefined);
    };
    const agent = new AbortCountingAgent();
    const counted = new UndiciHttpClient({ dispatcher: agent });
    try {
      for (const method of ["PUT", "DELETE", "GET", "PUT"]) {
        const response = await counted.send({ method, url: `${base}/done`, headers: {}, body: pattern(1, 1024) });
        // A turn for the parser to take in the rest of the (tiny) answer.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await response.body[Symbol.asyncIterator]().return?.();
      }
      for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
      expect(agent.aborts).toBe(0);
      expect(connections.length).toBe(1);
      const after = await counted.send({ method: "GET", url: `${base}/after`, headers: {} });
      expect(new TextDecoder().decode(await drain(after.body))).toBe("small, unread");
      expect(connections.length).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it("streams a large upload from an async iterable and a large download, byte for byte", async () => {
    const parts = 48;
    const chunks = Array.from({ length: 8 }, (_, i) => pattern(i, MiB));
    const chunk = (i: number): Uint8Array => chunks[i % chunks.length] as Uint8Array;
    const expected = createHash("sha256");
    for (let i = 0; i < parts; i++) expected.update(chunk(i));
    const digest = expected.digest("hex");
    handler = async (request, response) => {
      if (request.method === "PUT") {
        const hash = createHash("sha256");
        let size = 0;
        for await (const chunk of request) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        response.end(`${size}:${hash.digest("hex")}`);
        return;
      }
      response.writeHead(200, { "content-length": String(parts * MiB) });
      for (let i = 0; i < parts; i++) {
        if (!response.write(chunk(i))) await new Promise((resolve) => response.once("drain", resolve));
      }
      response.end();
    };
    async function* upload(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < parts; i++) yield chunk(i);
    }
    const put = await client.send({ method: "PUT", url: `${base}/big`, headers: {}, body: upload() });
    expect(Buffer.from(await drain(put.body)).toString()).toBe(`${parts * MiB}:${digest}`);
    const get = await client.send({ method: "GET", url: `${base}/big`, headers: {} });
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of get.body) {
      hash.update(chunk);
      size += chunk.length;
    }
    expect(size).toBe(parts * MiB);
    expect(hash.digest("hex")).toBe(digest);
  }, 60_000);

  it("errors name the URL without its query string", async () => {
    await client.close();
    client = new UndiciHttpClient({ headersTimeout: 100 });
    handler = () => undefined;
    const error = await rejection(() =>
      client.send({ method: "GET", url: `${base}/key?X-Amz-Signature=secret`, headers: {} }),
    );
    expect(error.path).toBe(`${base}/key`);
    expect(error.message).not.toContain("secret");
  });
});

/** An undici Agent that counts the requests its handlers abort (what destroying an unread body does). */
class AbortCountingAgent extends Agent {
  aborts = 0;

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const count = (): void => {
      this.aborts++;
    };
    const counting = new Proxy(handler, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (name === "onConnect" && typeof value === "function") {
          return (abort: (reason?: Error) => void, context: object) =>
            value.call(
              target,
              (reason?: Error) => {
                count();
                abort(reason);
              },
              context,
            );
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    return super.dispatch(options, counting);
  }
}
