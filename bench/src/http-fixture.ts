// A loopback HTTP server for the fetch-client groups, in the benchmarking process itself (so
// client and server share the CPU alike for every case). GET /n answers n bytes.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpClient } from "@fusio/core";
import type { BenchGroup } from "./harness.ts";

export async function httpFixture(): Promise<{ url: string }> {
  const bodies = new Map<number, Uint8Array>();
  const server = createServer((request, response) => {
    const size = Number((request.url ?? "/0").slice(1));
    let body = bodies.get(size);
    if (body === undefined) {
      body = new Uint8Array(size).fill(1);
      bodies.set(size, body);
    }
    response.writeHead(200, { "content-length": String(size) });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Reads a fusio response body to its end; resolves to the byte count. */
export async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of body) size += chunk.length;
  return size;
}

/**
 * The HTTP GET groups of the Bun and Deno runs: `client` (named `name`) against the runtime's
 * bare fetch, from the loopback server at `url`.
 */
export function fetchGroups(url: string, name: string, client: HttpClient): BenchGroup[] {
  const http = { url };
  const headers = { "accept-encoding": "identity" };
  return [4096, 1024 * 1024].map(
    (size): BenchGroup => ({
      title: `HTTP GET of ${size >= 1024 * 1024 ? "1 MiB" : "4 KiB"} from a loopback server`,
      baseline: "fetch + arrayBuffer (bare)",
      defaultCase: `${name}.send + body`,
      opsPerRound: size > 4096 ? 100 : 1000,
      rounds: 9,
      cases: [
        {
          name: "fetch + arrayBuffer (bare)",
          op: async () => (await (await fetch(`${http.url}/${size}`, { headers })).arrayBuffer()).byteLength,
        },
        {
          // What cancellation costs on its own: the client always passes a signal to fetch.
          name: "fetch with an AbortSignal + arrayBuffer",
          op: async () => {
            const signal = new AbortController().signal;
            return (await (await fetch(`${http.url}/${size}`, { headers, signal })).arrayBuffer()).byteLength;
          },
        },
        {
          name: `${name}.send + body`,
          op: async () => drain((await client.send({ method: "GET", url: `${http.url}/${size}`, headers: {} })).body),
        },
      ],
    }),
  );
}
