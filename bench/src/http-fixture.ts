// A loopback HTTP server for the fetch-client groups, in the benchmarking process itself (so
// client and server share the CPU alike for every case). GET /n answers n bytes.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

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
