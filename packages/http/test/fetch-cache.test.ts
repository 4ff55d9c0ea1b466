// FetchHttpClient and the HTTP cache (`cache: "no-store"`, and runtimes that refuse the option),
// and the error for a request a browser refused. Node's own fetch does the requests; only the
// refusals of other runtimes are imitated by a wrapper (the browser tests see Chromium's real one).
import { FusioError } from "@fusio/core";
import { bodyText, FetchHttpClient } from "@fusio/http";
import { readAll, startServer, type TestServer } from "@fusio-internal/test-support/http-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  server.route("/echo", (request, response) => {
    void readAll(request).then((body) => response.writeHead(200).end(body));
  });
});

afterAll(() => server.close());

/** A fetch that records the cache mode of each call, and may refuse one as workerd did before 2025-06-01. */
function recordingFetch(refuse?: RequestCache): { fetch: typeof globalThis.fetch; modes: (string | undefined)[] } {
  const modes: (string | undefined)[] = [];
  const fetch = (async (input, init) => {
    modes.push(init?.cache);
    if (refuse !== undefined && init?.cache === refuse) {
      throw new TypeError("The 'cache' field on 'RequestInitializerDict' is not implemented.");
    }
    return globalThis.fetch(input, init);
  }) as typeof globalThis.fetch;
  return { fetch, modes };
}

async function* chunks(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode("streamed ");
  yield new TextEncoder().encode("body");
}

describe("FetchHttpClient and the HTTP cache", () => {
  it("asks for no-store on GET and HEAD, and Node's fetch accepts it; writes go without", async () => {
    const { fetch, modes } = recordingFetch();
    const client = new FetchHttpClient({ fetch });
    for (const method of ["GET", "HEAD", "PUT", "POST", "DELETE"]) {
      const response = await client.send({ method, url: `${server.url}/echo`, headers: {} });
      expect(response.status).toBe(200);
      await bodyText(response.body);
    }
    // fetch adds `Cache-Control: no-cache` to a no-store request, which S3 would store with an object.
    expect(modes).toEqual(["no-store", "no-store", undefined, undefined, undefined]);
    expect(server.requests.at(-3)?.headers["cache-control"]).toBeUndefined();
  });

  it("a cache mode named in `init` wins", async () => {
    const { fetch, modes } = recordingFetch();
    const client = new FetchHttpClient({ fetch, init: { cache: "no-cache" } });
    await bodyText((await client.send({ method: "GET", url: `${server.url}/echo`, headers: {} })).body);
    expect(modes).toEqual(["no-cache"]);
  });

  it("a fetch that refuses the option is asked again without it, and from then on only without it", async () => {
    const { fetch, modes } = recordingFetch("no-store");
    const client = new FetchHttpClient({ fetch });
    const first = await client.send({ method: "GET", url: `${server.url}/echo`, headers: {} });
    expect(first.status).toBe(200);
    await bodyText(first.body);
    const second = await client.send({ method: "PUT", url: `${server.url}/echo`, headers: {}, body: chunks() });
    expect(await bodyText(second.body)).toBe("streamed body");
    // Another client on the same fetch knows it too.
    const other = new FetchHttpClient({ fetch });
    await bodyText((await other.send({ method: "HEAD", url: `${server.url}/echo`, headers: {} })).body);
    expect(modes).toEqual(["no-store", undefined, undefined, undefined]);
  });

  it("other TypeErrors are not taken for a refusal of the option", async () => {
    const modes: (string | undefined)[] = [];
    const failing = (async (_input, init) => {
      modes.push(init?.cache);
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const error = await new FetchHttpClient({ fetch: failing })
      .send({ method: "GET", url: `${server.url}/echo`, headers: {} })
      .catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Io")).toBe(true);
    expect(modes).toEqual(["no-store"]);
  });
});

describe("FetchHttpClient and a request the browser refused", () => {
  const url = `http://storage.example:9000/bucket/key?X-Amz-Signature=secret`;

  it.each(["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"])(
    "%s rejects Io (retryable) that names CORS, the network and the origin, not the URL",
    async (message) => {
      const refusing = (async () => {
        throw new TypeError(message);
      }) as typeof globalThis.fetch;
      const error = await new FetchHttpClient({ fetch: refusing, backend: "s3" })
        .send({ method: "GET", url, headers: {}, context: { op: "read", path: "key", backend: "s3" } })
        .catch((caught: unknown) => caught);
      expect(FusioError.is(error, "Io")).toBe(true);
      const fusio = error as FusioError;
      expect(fusio.retryable).toBe(true);
      expect(fusio.message).toContain("CORS");
      expect(fusio.message).toContain("network");
      expect(fusio.message).toContain("http://storage.example:9000");
      expect(fusio.message).not.toContain("secret");
      expect(fusio.message).not.toContain("/bucket/key");
    },
  );

  it("Node's own fetch failure keeps the default message", async () => {
    const error = await new FetchHttpClient()
      .send({ method: "GET", url: "http://127.0.0.1:1/unreachable", headers: {} })
      .catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Io")).toBe(true);
    expect((error as FusioError).message).not.toContain("CORS");
  });
});
