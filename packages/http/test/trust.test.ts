// The shared mechanisms of "Trust nothing a server says" (DESIGN.md): no redirect is followed,
// body reads are bounded, lengths are checked, parse errors become FusioErrors.
import { FusioError, type HttpClient } from "@fusio/core";
import {
  collectExactly,
  decodeXmlText,
  ERROR_BODY_LIMIT,
  errorBodyText,
  FetchHttpClient,
  missingHeader,
  parseAnswer,
  parseLength,
  readBounded,
  remoteError,
} from "@fusio/http";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { startServer, type TestServer } from "@fusio-internal/test-support/http-server";
import { Agent, interceptors } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const context = { op: "test", backend: "http" };

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

describe("redirects are never followed, so credentials stay on the configured origin", () => {
  let origin: TestServer;
  let elsewhere: TestServer;
  const followingAgent = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }));

  beforeAll(async () => {
    origin = await startServer();
    elsewhere = await startServer();
    for (const status of [301, 302, 303, 307, 308]) {
      origin.route(`/${status}`, (_request, response) => {
        response.writeHead(status, { location: `${elsewhere.url}/stolen?sig=1` });
        response.end("<Error><Code>Moved</Code></Error>");
      });
    }
    elsewhere.route("/stolen", (_request, response) => response.end("thanks"));
  });

  afterAll(async () => {
    await origin.close();
    await elsewhere.close();
  });

  const clients: Array<[string, () => HttpClient]> = [
    ["FetchHttpClient()", () => new FetchHttpClient()],
    ['FetchHttpClient({ redirect: "follow" })', () => new FetchHttpClient({ redirect: "follow" as "manual" })],
    ["UndiciHttpClient()", () => new UndiciHttpClient()],
    ["UndiciHttpClient on a redirect-following dispatcher", () => new UndiciHttpClient({ dispatcher: followingAgent })],
  ];

  it.each(clients.flatMap(([name, make]) => [301, 302, 303, 307, 308].map((status) => [name, status, make] as const)))(
    "%s returns a %i to another origin as it is",
    async (_name, status, make) => {
      const client = make();
      const before = elsewhere.requests.length;
      const response = await client.send({
        method: "GET",
        url: `${origin.url}/${status}`,
        headers: { authorization: "AWS4-HMAC-SHA256 secret", "x-amz-security-token": "token" },
      });
      expect(response.status).toBe(status);
      for await (const _ of response.body) {
        // drained
      }
      expect(elsewhere.requests.length).toBe(before);
    },
  );
});

describe("bounded body reads", () => {
  it("errorBodyText reads at most ERROR_BODY_LIMIT bytes", async () => {
    const text = await errorBodyText(chunks(new Uint8Array(5000).fill(65), new Uint8Array(1 << 20).fill(66)));
    expect(text.length).toBe(ERROR_BODY_LIMIT);
  });

  it("errorBodyText of a failing body is empty", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(3);
      throw new Error("reset");
    }
    expect(await errorBodyText(failing())).toBe("");
  });

  it("readBounded refuses a body over its limit with Remote and stops reading", async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1024);
      }
    }
    const error = await readBounded(endless(), 10_000, "a page", context).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Remote")).toBe(true);
    expect(pulled).toBe(10);
    expect(await readBounded(chunks(new Uint8Array(3), new Uint8Array(4)), 7, "a page", context)).toHaveLength(7);
  });

  it("collectExactly refuses a length no array can hold, before reading", async () => {
    const error = await collectExactly(chunks(new Uint8Array(3)), 2 ** 40, context).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Remote")).toBe(true);
    const short = await collectExactly(chunks(new Uint8Array(3)), 4, context).catch((caught: unknown) => caught);
    expect(FusioError.is(short, "Io")).toBe(true);
    const long = await collectExactly(chunks(new Uint8Array(5)), 4, context).catch((caught: unknown) => caught);
    expect(FusioError.is(long, "Io")).toBe(true);
    expect(await collectExactly(chunks(new Uint8Array(2), new Uint8Array(2)), 4, context)).toHaveLength(4);
  });
});

describe("checked answers", () => {
  it.each(["0", "17", " 42 ", String(Number.MAX_SAFE_INTEGER)])("parseLength(%j) is a length", (value) => {
    expect(parseLength(value, "Content-Length", context)).toBe(Number(value));
  });

  it.each([null, "", "-1", "1.5", "1e3", "NaN", "0x10", String(2 ** 60), "99999999999999999999", "1 2"])(
    "parseLength(%j) rejects Remote",
    (value) => {
      expect(
        FusioError.is(
          thrown(() => parseLength(value, "Content-Length", context)),
          "Remote",
        ),
      ).toBe(true);
    },
  );

  it("missingHeader names the header and the CORS rule", () => {
    const error = missingHeader("ETag", "the UploadPart answer", context);
    expect(error.kind).toBe("Remote");
    expect(error.message).toMatch(/ETag.*Access-Control-Expose-Headers/);
  });

  it.each(["&#x110000;", "&#xD800;", "&#0;", "&#99999999999999;", "&#x1;"])(
    "decodeXmlText(%j) throws, and parseAnswer makes it Remote",
    (text) => {
      const error = thrown(() => parseAnswer("a page", context, () => decodeXmlText(text)));
      expect(FusioError.is(error, "Remote")).toBe(true);
    },
  );

  it("decodeXmlText keeps the characters XML can hold", () => {
    expect(decodeXmlText("&#x10FFFF;&#9;&#x41;&amp;&#xE000;")).toBe("\u{10FFFF}\tA&\uE000");
  });

  it("parseAnswer turns raw exceptions into Remote and lets FusioErrors through", () => {
    const uri = thrown(() => parseAnswer("a key", context, () => decodeURIComponent("%FF")));
    expect(FusioError.is(uri, "Remote")).toBe(true);
    const own = new FusioError("NotFound", "x", context);
    expect(thrown(() => parseAnswer("a key", context, () => thrownOwn(own)))).toBe(own);
  });

  it("remoteError quotes at most a short excerpt of the server's text", () => {
    const error = remoteError(
      "Remote",
      { status: 500, code: "C".repeat(10_000), message: "m".repeat(1 << 20) },
      context,
    );
    expect(error.message.length).toBeLessThan(1024);
  });

  it("remoteError of a bare 3xx says that redirects are not followed", () => {
    expect(remoteError("Remote", { status: 307 }, context).message).toMatch(/redirect/);
  });
});

function thrownOwn(error: FusioError): never {
  throw error;
}
