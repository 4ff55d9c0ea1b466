// A minimal HttpClient on node:http with keep-alive that sends buffers without copying them:
// lets the memory test measure the writer itself rather than fetch's body copies. Test-only;
// the production Node client is UndiciHttpClient of @fusio/http.
import { Agent, request } from "node:http";
import { FusioError, type HttpClient, type HttpRequest, type HttpResponse } from "@fusio/core";

export class NodeHttpTestClient implements HttpClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });

  send(input: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const url = new URL(input.url);
      const body = input.body instanceof Uint8Array ? input.body : undefined;
      const headers: Record<string, string> = { ...input.headers };
      if (body) headers["content-length"] = String(body.length);
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: input.method,
          headers,
          agent: this.#agent,
        },
        (incoming) => {
          resolve({
            status: incoming.statusCode ?? 0,
            headers: {
              get: (name) => {
                const value = incoming.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
              },
              forEach: (callback) => {
                for (const [name, value] of Object.entries(incoming.headers)) {
                  if (value !== undefined) callback(Array.isArray(value) ? value.join(", ") : value, name);
                }
              },
            },
            body: incoming as AsyncIterable<Uint8Array>,
          });
        },
      );
      outgoing.on("error", (error) => reject(new FusioError("Io", error.message, { retryable: true, cause: error })));
      const signal = input.signal;
      signal?.addEventListener("abort", () => outgoing.destroy(new Error("aborted")), { once: true });
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
