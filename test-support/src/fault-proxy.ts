// A fault-injecting HTTP proxy for tests: sits between a backend (S3Fs, AzureBlobFs, ...) and its
// real server and, for requests matching a rule, answers an error, resets the connection, stalls,
// cuts the response body short or alters the exchange. Everything else is forwarded untouched.
import {
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  /**
   * Answer this status without forwarding: nothing was done (a `200` with an `<Error>` body plays
   * S3's "200 with an error"). `content-type` is `application/xml` unless `headers` say otherwise.
   */
  | { readonly kind: "status"; readonly status: number; readonly body?: string; readonly headers?: Headers }
  /** Drop the connection without forwarding. */
  | { readonly kind: "reset" }
  /** Accept the request and never answer. */
  | { readonly kind: "stall" }
  /** Forward, then send only the first `bytes` bytes of the body and drop the connection. */
  | { readonly kind: "truncate"; readonly bytes: number }
  /** Forward, then send only `fraction` of the body and drop the connection. */
  | { readonly kind: "truncate"; readonly fraction: number }
  /** Forward (the server applies the request), then drop the connection instead of answering. */
  | { readonly kind: "lose" }
  /** Forward, and override these response headers (e.g. to play an asynchronous copy). */
  | { readonly kind: "headers"; readonly headers: Headers }
  /** Forward without the Range header (a server that ignores Range). */
  | { readonly kind: "drop-range" }
  /** Forward, then rewrite Content-Range to claim a start one byte later. */
  | { readonly kind: "shift-range" };

type Headers = Readonly<Record<string, string>>;

/** A request as the rules see it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query as sent (the origin is the proxy's). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
}

export interface FaultProxyOptions {
  /** How a request is named in `log` and `injected`. Default: `METHOD /path?query`. */
  label?: (request: ProxiedRequest) => string;
}

interface Rule {
  readonly match: (request: ProxiedRequest) => boolean;
  readonly fault: Fault;
  times: number;
}

export class FaultProxy {
  readonly #upstream: URL;
  readonly #server: Server;
  readonly #label: (request: ProxiedRequest) => string;
  readonly #rules: Rule[] = [];
  /** Every request seen, by its label. */
  readonly log: string[] = [];
  /** The faults applied, as `label -> kind`. */
  readonly injected: string[] = [];
  /** The proxy's origin, `http://127.0.0.1:PORT`, once started. */
  endpoint = "";

  /** A proxy in front of `upstream` (an origin such as `http://127.0.0.1:7480`). */
  constructor(upstream: string, options: FaultProxyOptions = {}) {
    this.#upstream = new URL(upstream);
    this.#label = options.label ?? ((request) => `${request.method} ${request.url.pathname}${request.url.search}`);
    this.#server = createServer((request, response) => this.#handle(request, response));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Ends every connection, stalled ones included, and closes the proxy. */
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /**
   * Adds a rule: the next `times` requests that `match` (default: all of them) get `fault`.
   * Rules are tried in the order they were added; a used-up rule is skipped.
   */
  inject(match: (request: ProxiedRequest) => boolean, fault: Fault, times = Number.POSITIVE_INFINITY): this {
    this.#rules.push({ match, fault, times });
    return this;
  }

  /** Forgets every rule and empties `log` and `injected`. */
  reset(): void {
    this.#rules.length = 0;
    this.log.length = 0;
    this.injected.length = 0;
  }

  #take(request: ProxiedRequest): Fault | undefined {
    const rule = this.#rules.find((candidate) => candidate.times > 0 && candidate.match(request));
    if (rule === undefined) return undefined;
    rule.times--;
    return rule.fault;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const proxied: ProxiedRequest = {
      method: request.method ?? "GET",
      url: new URL(request.url ?? "/", "http://proxy"),
      headers: request.headers,
    };
    const label = this.#label(proxied);
    this.log.push(label);
    const fault = this.#take(proxied);
    if (fault !== undefined) this.injected.push(`${label} -> ${fault.kind}`);
    if (fault?.kind === "status" || fault?.kind === "reset" || fault?.kind === "stall") {
      // Answer only once the whole request arrived, as a server that did nothing would.
      request.resume();
      if (request.readableEnded) this.#answer(fault, proxied, request, response);
      else request.on("end", () => this.#answer(fault, proxied, request, response));
      return;
    }
    this.#forward(request, response, fault);
  }

  #answer(
    fault: Extract<Fault, { kind: "status" | "reset" | "stall" }>,
    proxied: ProxiedRequest,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    if (fault.kind === "reset") {
      request.socket.destroy();
    } else if (fault.kind === "status") {
      const body = fault.body ?? "";
      response.writeHead(fault.status, {
        "content-type": "application/xml",
        "content-length": String(Buffer.byteLength(body)),
        ...fault.headers,
      });
      response.end(proxied.method === "HEAD" ? undefined : body);
    }
    // A stall never answers; stop() ends its connection.
  }

  #forward(request: IncomingMessage, response: ServerResponse, fault: Fault | undefined): void {
    // The Host header stays as sent (the proxy's address): it is part of an S3 signature, and
    // RGW and Azurite accept any host in path style.
    const headers = { ...request.headers };
    if (fault?.kind === "drop-range") delete headers.range;
    const upstream = forward(
      { host: this.#upstream.hostname, port: this.#upstream.port, method: request.method, path: request.url, headers },
      (answer) => {
        const status = answer.statusCode ?? 502;
        if (fault?.kind === "truncate" || fault?.kind === "lose") {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            if (fault.kind === "lose") {
              response.socket?.destroy();
              return;
            }
            const body = Buffer.concat(chunks);
            const kept = "bytes" in fault ? fault.bytes : Math.floor(body.length * fault.fraction);
            response.writeHead(status, answer.headers);
            response.write(body.subarray(0, kept));
            // Let the partial body reach the client, then cut the connection mid-body.
            setTimeout(() => response.socket?.destroy(), 10);
          });
          return;
        }
        response.writeHead(status, alteredHeaders(answer.headers, fault));
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.socket?.destroy());
    request.pipe(upstream);
  }
}

function alteredHeaders(headers: IncomingHttpHeaders, fault: Fault | undefined): OutgoingHttpHeaders {
  if (fault?.kind === "headers") return { ...headers, ...fault.headers };
  const range = headers["content-range"];
  if (fault?.kind === "shift-range" && range !== undefined) {
    return {
      ...headers,
      "content-range": range.replace(
        /bytes (\d+)-(\d+)/,
        (_, start: string, end: string) => `bytes ${Number(start) + 1}-${Number(end) + 1}`,
      ),
    };
  }
  return headers;
}
