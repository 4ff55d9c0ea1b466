// A fault-injecting HTTP proxy for tests: sits between a backend and its real server and, for
// requests matching a rule, answers an error status, resets the connection, stalls, or cuts the
// response body short. Everything else is forwarded untouched.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { readonly type: "status"; readonly status: number; readonly code?: string; readonly retryAfter?: string }
  | { readonly type: "reset" }
  | { readonly type: "stall" }
  /** Forward, then send only `fraction` of the body before dropping the connection. */
  | { readonly type: "truncate"; readonly fraction: number }
  /** Forward (the server applies the request), then drop the connection instead of answering. */
  | { readonly type: "lose" }
  /** Forward, and override these response headers (e.g. to play an asynchronous copy). */
  | { readonly type: "headers"; readonly headers: Readonly<Record<string, string>> };

export interface FaultRule {
  /** Which requests: method and the `comp` query (`""` for none), e.g. `PUT block`, `GET`. */
  readonly match: (request: {
    method: string;
    comp: string;
    path: string;
    headers: IncomingMessage["headers"];
  }) => boolean;
  readonly fault: Fault;
  /** How many matching requests get the fault (default: all). */
  times?: number;
}

export class FaultProxy {
  readonly #upstream: URL;
  readonly #server: Server;
  readonly #rules: FaultRule[] = [];
  readonly #stalled = new Set<ServerResponse>();
  /** Every request seen, as `METHOD comp`. */
  readonly log: string[] = [];
  /** Faults applied, as `METHOD comp -> type`. */
  readonly injected: string[] = [];
  origin = "";

  constructor(upstream: string) {
    this.#upstream = new URL(upstream);
    this.#server = createServer((request, response) => this.#handle(request, response));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Adds a rule; rules are tried in order and a rule with `times` left 0 is skipped. */
  add(rule: FaultRule): this {
    this.#rules.push(rule);
    return this;
  }

  reset(): void {
    this.#rules.length = 0;
    this.log.length = 0;
    this.injected.length = 0;
  }

  async stop(): Promise<void> {
    for (const response of this.#stalled) response.socket?.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://proxy");
    const info = {
      method: request.method ?? "GET",
      comp: url.searchParams.get("comp") ?? "",
      path: url.pathname,
      headers: request.headers,
    };
    const label = `${info.method} ${info.comp}`.trim();
    this.log.push(label);
    const rule = this.#rules.find((candidate) => (candidate.times ?? 1) > 0 && candidate.match(info));
    const fault = rule?.fault;
    if (rule !== undefined && rule.times !== undefined) rule.times--;
    if (fault !== undefined) this.injected.push(`${label} -> ${fault.type}`);
    if (fault === undefined || fault.type === "truncate" || fault.type === "lose" || fault.type === "headers") {
      this.#forward(
        request,
        response,
        fault?.type === "truncate" ? fault.fraction : fault?.type === "lose" ? -1 : undefined,
        fault?.type === "headers" ? fault.headers : undefined,
      );
      return;
    }
    request.resume();
    const answer = (): void => {
      if (fault.type === "status") {
        const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${fault.code ?? "InternalError"}</Code><Message>injected</Message></Error>`;
        const headers: Record<string, string> = {
          "content-type": "application/xml",
          "content-length": String(Buffer.byteLength(body)),
        };
        if (fault.code !== undefined) headers["x-ms-error-code"] = fault.code;
        if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
        response.writeHead(fault.status, headers).end(info.method === "HEAD" ? undefined : body);
      } else if (fault.type === "reset") {
        request.socket.destroy();
      } else {
        this.#stalled.add(response);
        response.on("close", () => this.#stalled.delete(response));
      }
    };
    if (request.readableEnded) answer();
    else request.on("end", answer);
  }

  #forward(
    request: IncomingMessage,
    response: ServerResponse,
    fraction: number | undefined,
    override?: Readonly<Record<string, string>>,
  ): void {
    const upstream = httpRequest(
      {
        host: this.#upstream.hostname,
        port: this.#upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: this.#upstream.host },
      },
      (answer) => {
        if (fraction === undefined) {
          response.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...override });
          answer.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          if (fraction < 0) {
            response.socket?.destroy();
            return;
          }
          const body = Buffer.concat(chunks);
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.write(body.subarray(0, Math.floor(body.length * fraction)));
          // Let the partial body go out, then cut the connection mid-body.
          setTimeout(() => response.socket?.destroy(), 10);
        });
      },
    );
    upstream.on("error", () => response.socket?.destroy());
    request.pipe(upstream);
  }
}
