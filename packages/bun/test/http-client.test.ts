import { BunHttpClient } from "@fusio/bun";
import type { HttpClient } from "@fusio/core";
import { defaultHttpClient } from "@fusio/http";
import { describeHttpClient } from "@fusio-internal/test-support/http-client-suite";
import { startServer } from "@fusio-internal/test-support/http-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describeHttpClient(
  "BunHttpClient",
  { create: (options) => new BunHttpClient(options), rawBodies: true },
  { describe, it, expect, beforeEach, afterEach },
);

describe("BunHttpClient bodies, and the default client's", () => {
  // What S3Fs and AzureBlobFs use in Bun without an `http` option is tuned the same way.
  it.each([
    ["BunHttpClient", () => new BunHttpClient()],
    ["defaultHttpClient()", () => defaultHttpClient()],
  ] as Array<[string, () => HttpClient]>)(
    "%s reads a body of known length up to 4 MiB whole, as one chunk, and streams a longer one",
    async (_name, create) => {
      const server = await startServer();
      try {
        server.route("/sized", (request, response) => {
          const size = Number(new URL(request.url ?? "", "http://x").searchParams.get("n"));
          response.writeHead(200, { "content-length": String(size) });
          response.end(Buffer.alloc(size, 3));
        });
        const client = create();
        const chunks = async (size: number): Promise<Uint8Array[]> => {
          const response = await client.send({ method: "GET", url: `${server.url}/sized?n=${size}`, headers: {} });
          const out: Uint8Array[] = [];
          for await (const chunk of response.body) out.push(chunk);
          expect(out.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(size);
          return out;
        };
        expect((await chunks(1024 * 1024)).length).toBe(1);
        expect((await chunks(4 * 1024 * 1024)).length).toBe(1);
        expect((await chunks(4 * 1024 * 1024 + 1)).length).toBeGreaterThan(1);
      } finally {
        await server.close();
      }
    },
  );
});
