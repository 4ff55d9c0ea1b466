// A small fault-injecting HTTP proxy for tests: sits between S3Fs and the real server and, per
// request, forwards it untouched or answers with an error, resets the connection, stalls, or
// cuts the response body short. Rules are checked in order; each can fire a limited number of times.
import { createServer, request as forward, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "reset" }
  /** Accept the request and never answer. */
  | { kind: "stall" }
  /** Forward, then send only the first `bytes` bytes of the body and close the connection. */
  | { kind: "truncate"; bytes: number }
  /** Answer `200` with this `<Error>` body without forwarding (S3's "200 with an error": nothing was done). */
  | { kind: "error-in-200"; body: string }
  /** Forward without the Range header (a server that ignores Range). */
  | { kind: "drop-range" }
  /** Forward, then rewrite Content-Range to claim another start. */
  | { kind: "shift-range" };

export interface Rule {
  /** Which requests: method and a test on the URL (path + query). */
  match(method: string, url: URL): boolean;
  fault: Fault;
  /** How many times it fires; default once. */
  times?: number;
}

export interface RequestLog {
  method: string;
  url: URL;
  fault: Fault["kind"] | undefined;
}

export class FaultProxy {
  readonly #target: URL;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  rules: Rule[] = [];
  readonly log: RequestLog[] = [];
  endpoint = "";

  constructor(target: string) {
    this.#target = new URL(target);
    this.#server = createServer((request, response) => this.#handle(request, response));
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  /** Adds a rule; `times` defaults to 1. */
  inject(match: Rule["match"], fault: Fault, times = 1): void {
    this.rules.push({ match, fault, times });
  }

  #take(method: string, url: URL): Fault | undefined {
    for (const rule of this.rules) {
      if ((rule.times ?? 1) > 0 && rule.match(method, url)) {
        rule.times = (rule.times ?? 1) - 1;
        return rule.fault;
      }
    }
    return undefined;
  }

  #handle(request: IncomingMessage, response: import("node:http").ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://proxy");
    const method = request.method ?? "GET";
    const fault = this.#take(method, url);
    this.log.push({ method, url, fault: fault?.kind });
    const body: Buffer[] = [];
    request.on("data", (chunk: Buffer) => body.push(chunk));
    request.on("end", () => {
      if (fault?.kind === "status") {
        response.writeHead(fault.status, { "content-type": "application/xml", ...fault.headers });
        response.end(fault.body ?? "");
        return;
      }
      if (fault?.kind === "error-in-200") {
        response.writeHead(200, { "content-type": "application/xml" });
        response.end(fault.body);
        return;
      }
      if (fault?.kind === "reset") {
        request.socket.destroy();
        return;
      }
      if (fault?.kind === "stall") return;
      // The Host header stays as signed (the proxy's address): RGW accepts any host in path style.
      const headers = { ...request.headers };
      if (fault?.kind === "drop-range") delete headers.range;
      const upstream = forward(
        {
          host: this.#target.hostname,
          port: this.#target.port,
          method,
          path: request.url,
          headers,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const payload = Buffer.concat(chunks);
            const outHeaders = { ...answer.headers };
            const status = answer.statusCode ?? 502;
            if (fault?.kind === "shift-range" && typeof outHeaders["content-range"] === "string") {
              outHeaders["content-range"] = outHeaders["content-range"].replace(
                /bytes (\d+)-(\d+)/,
                (_, start: string, end: string) => `bytes ${Number(start) + 1}-${Number(end) + 1}`,
              );
            }
            response.writeHead(status, outHeaders);
            if (fault?.kind === "truncate") {
              response.write(payload.subarray(0, fault.bytes));
              // Let the partial body reach the client, then cut the connection.
              setTimeout(() => request.socket.destroy(), 10);
              return;
            }
            response.end(payload);
          });
        },
      );
      upstream.on("error", () => request.socket.destroy());
      upstream.end(Buffer.concat(body));
    });
  }
}

/** Rule helpers on the URL of an S3 call. */
export const on = {
  get: (method: string, url: URL): boolean => method === "GET" && !url.search.includes("list-type"),
  put: (method: string, url: URL): boolean =>
    method === "PUT" && !url.searchParams.has("uploadId") && !url.search.includes("x-amz-copy"),
  uploadPart: (method: string, url: URL): boolean => method === "PUT" && url.searchParams.has("partNumber"),
  complete: (method: string, url: URL): boolean => method === "POST" && url.searchParams.has("uploadId"),
  create: (method: string, url: URL): boolean => method === "POST" && url.searchParams.has("uploads"),
  list: (method: string, url: URL): boolean => method === "GET" && url.searchParams.get("list-type") === "2",
  head: (method: string): boolean => method === "HEAD",
};
