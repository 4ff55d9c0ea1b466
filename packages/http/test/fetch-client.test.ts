import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FusioError, type HttpClient, type HttpRequest } from "@fusio/core";
import { bodyText, collectBody, discardBody, FetchHttpClient, readBodyInto, sendRequest } from "@fusio/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;
const routes = new Map<string, Handler>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const handler = routes.get(new URL(request.url ?? "/", "http://x").pathname);
      if (handler) handler(request, response, Buffer.concat(chunks));
      else response.writeHead(404).end("no route");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

routes.set("/echo", (request, response, body) => {
  response.writeHead(200, {
    "x-method": request.method ?? "",
    "x-custom": String(request.headers["x-custom"] ?? ""),
    "content-length": String(body.length),
  });
  response.end(request.method === "HEAD" ? undefined : body);
});
routes.set("/chunks", (_request, response) => {
  response.writeHead(200);
  let i = 0;
  const timer = setInterval(() => {
    response.write(Buffer.alloc(1000, i));
    if (++i === 5) {
      clearInterval(timer);
      response.end();
    }
  }, 2);
});
routes.set("/reset", (request) => request.socket.destroy());
routes.set("/stall-headers", () => undefined);
routes.set("/stall-body", (_request, response) => {
  response.writeHead(200, { "content-length": "100" });
  response.write("partial");
});
routes.set("/status", (_request, response) => response.writeHead(503, { "retry-after": "1" }).end("<Error/>"));

const client = new FetchHttpClient();
const context = { op: "test" };

describe("FetchHttpClient", () => {
  it("sends method, headers and a buffer body; reads status, headers and body", async () => {
    const response = await client.send({
      method: "PUT",
      url: `${base}/echo`,
      headers: { "x-custom": "value" },
      body: new TextEncoder().encode("hello"),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-method")).toBe("PUT");
    expect(response.headers.get("x-custom")).toBe("value");
    expect(await bodyText(response.body)).toBe("hello");
  });

  it("streams an AsyncIterable request body", async () => {
    async function* parts(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    const response = await client.send({ method: "POST", url: `${base}/echo`, headers: {}, body: parts() });
    expect([...(await collectBody(response.body))]).toEqual([1, 2, 3]);
  });

  it("HEAD has an empty body; error statuses resolve", async () => {
    const head = await client.send({ method: "HEAD", url: `${base}/echo`, headers: {} });
    expect(head.status).toBe(200);
    expect((await collectBody(head.body)).length).toBe(0);
    const failed = await client.send({ method: "GET", url: `${base}/status`, headers: {} });
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("1");
    expect(await bodyText(failed.body)).toBe("<Error/>");
  });

  it("reads a chunked body into a caller's buffer and rejects one that is too long", async () => {
    const target = new Uint8Array(5000);
    const response = await client.send({ method: "GET", url: `${base}/chunks`, headers: {} });
    expect(await readBodyInto(response.body, target, context)).toBe(5000);
    expect(target[0]).toBe(0);
    expect(target[4999]).toBe(4);
    const again = await client.send({ method: "GET", url: `${base}/chunks`, headers: {} });
    const error = await readBodyInto(again.body, new Uint8Array(10), context).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Io")).toBe(true);
  });

  it("a connection reset rejects Io, retryable", async () => {
    const error = await client.send({ method: "GET", url: `${base}/reset`, headers: {} }).catch((e: unknown) => e);
    expect(FusioError.is(error, "Io")).toBe(true);
    expect((error as FusioError).retryable).toBe(true);
  });

  it("the caller's abort rejects Aborted, before and during the request", async () => {
    await expect(
      client.send({ method: "GET", url: `${base}/echo`, headers: {}, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ kind: "Aborted" });
    const controller = new AbortController();
    const pending = client.send({
      method: "GET",
      url: `${base}/stall-headers`,
      headers: {},
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ kind: "Aborted" });
  });

  it("stopping early releases the body", async () => {
    const response = await client.send({ method: "GET", url: `${base}/chunks`, headers: {} });
    for await (const _ of response.body) break;
    const other = await client.send({ method: "GET", url: `${base}/chunks`, headers: {} });
    await discardBody(other.body);
  });
});

routes.set("/endless", (_request, response) => {
  response.writeHead(200);
  const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024, 1)), 2);
  response.on("close", () => {
    clearInterval(timer);
    closed.get("/endless")?.();
  });
});
const closed = new Map<string, () => void>();

describe("FetchHttpClient discarding", () => {
  it("a body discarded before any of it was read is cancelled at once, not left to the garbage collector", async () => {
    const gone = new Promise<void>((resolve) => closed.set("/endless", resolve));
    const response = await client.send({ method: "GET", url: `${base}/endless`, headers: {} });
    await discardBody(response.body);
    await gone;
    // The client still works, on another connection.
    const echo = await client.send({ method: "PUT", url: `${base}/echo`, headers: {}, body: Uint8Array.of(1, 2) });
    expect(await collectBody(echo.body)).toEqual(Uint8Array.of(1, 2));
  });
});

// Through a client that enforces the timeout itself (FetchHttpClient), and through one that
// does not (a plain wrapper: sendRequest then runs its own stall timer and abort controller).
const plain: HttpClient = { send: (request) => client.send(request) };
describe.each([
  ["FetchHttpClient (enforces the timeout)", () => client],
  ["a client that does not enforce timeouts", () => plain],
])("sendRequest through %s", (_name, subject) => {
  it("passes a response through", async () => {
    const response = await sendRequest(
      subject(),
      { method: "GET", url: `${base}/chunks`, headers: {} },
      { timeout: 5_000, context },
    );
    expect((await collectBody(response.body)).length).toBe(5000);
  });

  it("rejects Timeout (retryable) when the headers stall", async () => {
    const error = await sendRequest(
      subject(),
      { method: "GET", url: `${base}/stall-headers`, headers: {} },
      { timeout: 50, context },
    ).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Timeout")).toBe(true);
    expect((error as FusioError).retryable).toBe(true);
  });

  it("rejects Timeout when the body stalls", async () => {
    const response = await sendRequest(
      subject(),
      { method: "GET", url: `${base}/stall-body`, headers: {} },
      { timeout: 50, context },
    );
    const error = await collectBody(response.body).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Timeout")).toBe(true);
  });

  it("the caller's abort wins over the timeout", async () => {
    const controller = new AbortController();
    const pending = sendRequest(
      subject(),
      { method: "GET", url: `${base}/stall-headers`, headers: {} },
      { timeout: 10_000, signal: controller.signal, context },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ kind: "Aborted" });
  });
});

describe("sendRequest handing over", () => {
  it("gives an enforcing client the timeout, the caller's signal and context, and returns its answer as is", async () => {
    const seen: HttpRequest[] = [];
    const answer = { status: 204, headers: new Headers(), body: (async function* () {})() };
    const enforcing: HttpClient = {
      enforcesTimeout: true,
      send: async (request) => {
        seen.push(request);
        return answer;
      },
    };
    const signal = new AbortController().signal;
    const response = await sendRequest(
      enforcing,
      { method: "GET", url: "http://x/", headers: {} },
      { timeout: 1234, signal, context },
    );
    expect(response).toBe(answer);
    expect(seen[0]).toMatchObject({ timeout: 1234, context });
    expect(seen[0]?.signal).toBe(signal);
    // Any other client gets a signal of sendRequest's own (the stall timer aborts it), no timeout.
    const other: HttpClient = { send: enforcing.send };
    await sendRequest(other, { method: "GET", url: "http://x/", headers: {} }, { timeout: 1234, signal, context });
    expect(seen[1]?.signal).not.toBe(signal);
    expect(seen[1]?.timeout).toBeUndefined();
  });
});

routes.set("/sized", (request, response) => {
  const size = Number(new URL(request.url ?? "", "http://x").searchParams.get("n"));
  response.writeHead(200, { "content-length": String(size) });
  // In pieces, so that a body read as a stream arrives in several chunks.
  let sent = 0;
  const next = (): void => {
    const piece = Math.min(16 * 1024, size - sent);
    sent += piece;
    if (sent === size) response.end(Buffer.alloc(piece, 9));
    else response.write(Buffer.alloc(piece, 9), () => setTimeout(next, 1));
  };
  next();
});

describe("FetchHttpClient wholeBodyLimit", () => {
  async function chunkCount(subject: FetchHttpClient, size: number): Promise<number> {
    const response = await subject.send({ method: "GET", url: `${base}/sized?n=${size}`, headers: {} });
    let count = 0;
    let length = 0;
    for await (const chunk of response.body) {
      count++;
      length += chunk.length;
    }
    expect(length).toBe(size);
    return count;
  }

  it("reads a body of known length up to the limit whole, as one chunk, and streams a longer one", async () => {
    expect(await chunkCount(client, 64 * 1024)).toBe(1);
    expect(await chunkCount(client, 200_000)).toBeGreaterThan(1);
    const larger = new FetchHttpClient({ wholeBodyLimit: 256 * 1024 });
    expect(await chunkCount(larger, 200_000)).toBe(1);
    expect(await chunkCount(larger, 300_000)).toBeGreaterThan(1);
    const none = new FetchHttpClient({ wholeBodyLimit: 0 });
    expect(await chunkCount(none, 100_000)).toBeGreaterThan(1);
  });

  it("rejects a bad limit with InvalidArgument", () => {
    for (const wholeBodyLimit of [-1, 1.5, Number.NaN]) {
      let kind: string | undefined;
      try {
        new FetchHttpClient({ wholeBodyLimit });
      } catch (error) {
        kind = (error as FusioError).kind;
      }
      expect(kind).toBe("InvalidArgument");
    }
  });
});

describe("FetchHttpClient sharedTimer", () => {
  it("times out a short wait armed after a long one, and leaves the long one running", async () => {
    const shared = new FetchHttpClient({ sharedTimer: true, timeout: 60_000 });
    const long = shared.send({ method: "GET", url: `${base}/stall-headers`, headers: {} }).catch((e: unknown) => e);
    const started = performance.now();
    const short = await shared
      .send({ method: "GET", url: `${base}/stall-headers`, headers: {}, timeout: 50 })
      .catch((e: unknown) => e);
    expect(FusioError.is(short, "Timeout")).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
    // The long wait is still pending: it settles only when the test aborts it.
    const settled = await Promise.race([long.then(() => "settled"), new Promise((r) => setTimeout(r, 100, "pending"))]);
    expect(settled).toBe("pending");
    server.closeAllConnections();
    expect(FusioError.is(await long)).toBe(true);
  });
});
