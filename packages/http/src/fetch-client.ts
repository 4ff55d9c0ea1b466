import {
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  throwIfAborted,
} from "@fusio/core";
import { browserRefusal } from "./browser-refusal.ts";
import { Exchange, responseBody, WHOLE_BODY_LIMIT } from "./exchange.ts";
import { sanitizeError } from "./sanitize.ts";
import { StallClock } from "./stall-clock.ts";
import { fetchUncached } from "./uncached-fetch.ts";

let requestBody: Promise<typeof import("./request-body.ts")> | undefined;

/** Options of {@link FetchHttpClient}. */
export interface FetchHttpClientOptions {
  /** The `fetch` to use. Defaults to `globalThis.fetch` (looked up at each call, so polyfills and mocks apply). */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Extra `RequestInit` fields for every request, e.g. `{ keepalive: true }`, `{ dispatcher }`
   * on Node or `{ decompress: false }` on Bun.
   */
  init?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Milliseconds the client waits on the network without progress before it rejects `Timeout`
   * (retryable): for the response headers (each chunk of a streamed request body going up
   * restarts it; a buffer body counts as one wait), then for each chunk of the response body.
   * Time the caller spends producing or consuming chunks does not count. Default 0: none.
   */
  timeout?: number | undefined;
  /**
   * What a 3xx answer does; the client never follows one, so credentials (`authorization`, a
   * session token, a SAS query, a bearer token) never reach another host. `"manual"` (the
   * default) returns it to the caller, whose error then names the redirect (S3's
   * PermanentRedirect message says which endpoint to use). In a browser, where a manual redirect
   * is an opaque response of status 0, it rejects `Remote`. `"error"` rejects every 3xx as a
   * transport error (`Io`, losing the server's message); in Node it is also the one mode in which
   * fetch does not clone the request, i.e. does not copy each request body a second time
   * (measured on a 1 GiB S3 upload: peak memory 141 MiB above baseline instead of 180-215 MiB).
   * `"follow"`, which fetch would apply to any origin, is not accepted (it means `"manual"`).
   */
  redirect?: "manual" | "error" | undefined;
  /**
   * Response bodies with a `content-length` of at most this many bytes are read whole, with one
   * `arrayBuffer()`, and handed over as one chunk (their reading is then one wait for the
   * `timeout`); longer ones, and bodies of unknown length, stream. Reading whole costs less CPU
   * than a stream reader up to a size that depends on the runtime (Bun: 4 MiB). Default 65 536.
   */
  wholeBodyLimit?: number | undefined;
  /**
   * Runs the stall timeouts of all the client's requests on one timer of the client, instead of
   * a timer per request (which costs Bun and Deno a few µs per request). Off by default: Workers
   * tie a timer to the request that set it, and cancel it when that request ends.
   */
  sharedTimer?: boolean | undefined;
  /** The backend named in errors, e.g. `"bun"`. */
  backend?: string | undefined;
  /**
   * Turns what fetch threw (not an abort or a timeout) into a FusioError, for runtimes whose
   * errors say more (error codes, sandbox refusals). It must keep URLs out of the error. The
   * default rejects `Io`, retryable, with the URLs stripped from the messages.
   */
  transportError?: ((error: unknown, context: ErrorContext) => FusioError) | undefined;
}

/**
 * The portable {@link HttpClient}: WHATWG `fetch`, so it runs in Node, Bun, Deno, browsers and
 * Workers. Transport failures reject `Io` (retryable), the caller's abort rejects `Aborted`, a
 * stall longer than the `timeout` option rejects `Timeout`; HTTP error statuses resolve
 * normally, and redirects are returned, never followed (see `FetchHttpClientOptions.redirect`).
 * Bodies stream both ways: a chunk iterable is pulled one chunk at a time as the
 * socket drains, and the response is read as it arrives (a small one of known length is read
 * whole, which costs less); stopping early (`break` / `return()`) cancels the stream and
 * releases the connection. The client asks for `identity` encoding unless the request names an
 * `accept-encoding`, so the body is the stored bytes. Reads never use the HTTP cache (`cache:
 * "no-store"` on GET and HEAD, unless `init` names a cache mode; runtimes that reject the option
 * get none). In a
 * browser, a request refused by CORS or the network rejects `Io` naming the origin. No URL
 * (which may hold a signature) appears in its errors.
 *
 * On Node, `UndiciHttpClient` (undici `request()`, the default there) is faster: fetch costs
 * more CPU per request and copies request bodies.
 */
export class FetchHttpClient implements HttpClient {
  /** The stall timeout in milliseconds (0: none). A request's own `timeout` applies too; the shorter wins. */
  readonly timeout: number;
  /** It enforces `HttpRequest.timeout`. */
  readonly enforcesTimeout = true;
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #init: Readonly<Record<string, unknown>> | undefined;
  readonly #redirect: "manual" | "error";
  readonly #backend: string | undefined;
  readonly #transportError: (error: unknown, context: ErrorContext) => FusioError;
  readonly #wholeBodyLimit: number;
  readonly #clock: StallClock | undefined;

  constructor(options: FetchHttpClientOptions = {}) {
    const timeout = options.timeout ?? 0;
    if (!Number.isSafeInteger(timeout) || timeout < 0) {
      throw new FusioError("InvalidArgument", "timeout must be a non-negative integer", { backend: options.backend });
    }
    const wholeBodyLimit = options.wholeBodyLimit ?? WHOLE_BODY_LIMIT;
    if (!Number.isSafeInteger(wholeBodyLimit) || wholeBodyLimit < 0) {
      throw new FusioError("InvalidArgument", "wholeBodyLimit must be a non-negative integer", {
        backend: options.backend,
      });
    }
    this.timeout = timeout;
    this.#wholeBodyLimit = wholeBodyLimit;
    this.#clock = options.sharedTimer === true ? new StallClock() : undefined;
    this.#fetch = options.fetch;
    this.#init = options.init;
    this.#redirect = redirectMode(options.redirect);
    this.#backend = options.backend;
    this.#transportError = options.transportError ?? transportError;
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const context: ErrorContext = request.context ?? { op: `http ${request.method}`, backend: this.#backend };
    throwIfAborted(request.signal, context);
    const exchange = new Exchange(
      request.signal,
      shorter(request.timeout, this.timeout),
      context,
      this.#transportError,
      this.#clock,
    );
    const init: RequestInit & { duplex?: "half" } = {
      ...this.#init,
      method: request.method,
      headers: { "accept-encoding": "identity", ...request.headers },
      signal: exchange.controller.signal,
      redirect: this.#redirect,
    };
    const body = request.body;
    if (body instanceof Uint8Array) init.body = body as Uint8Array<ArrayBuffer>;
    else if (body !== undefined) {
      requestBody ??= import("./request-body.ts");
      init.body = (await requestBody).bodyStream(body, exchange);
      init.duplex = "half"; // required by Node's fetch for a streamed request body
    }
    let response: Response;
    exchange.sending = true;
    exchange.arm();
    try {
      response = await fetchUncached(this.#fetch ?? globalThis.fetch, request.url, init);
    } catch (error) {
      exchange.finish();
      throw exchange.fail(browserRefusal(error, request.url, context) ?? error);
    } finally {
      exchange.sending = false;
      exchange.disarm();
    }
    refuseOpaqueRedirect(response, exchange, context);
    return {
      status: response.status,
      headers: response.headers,
      body: responseBody(response, exchange, this.#wholeBodyLimit),
    };
  }
}

/** The redirect mode handed to fetch: never `"follow"` (see `FetchHttpClientOptions.redirect`). */
function redirectMode(option: string | undefined): "manual" | "error" {
  return option === "error" ? "error" : "manual";
}

/**
 * A browser hides a redirect answered to `redirect: "manual"` (status 0, no headers, no body):
 * reject it as what it is instead of handing the caller a status 0.
 */
function refuseOpaqueRedirect(response: Response, exchange: Exchange, context: ErrorContext): void {
  if (response.type !== "opaqueredirect") return;
  exchange.finish();
  throw new FusioError(
    "Remote",
    "the server redirected the request; fusio does not follow redirects, so credentials stay on the configured origin",
    context,
  );
}

/** The shorter of two timeouts, where 0 or undefined is none. */
function shorter(a: number | undefined, b: number | undefined): number {
  return a && b ? Math.min(a, b) : a || b || 0;
}

/** The default transport error: `Io`, retryable, naming the innermost cause without its URLs. */
function transportError(error: unknown, context: ErrorContext): FusioError {
  const clean = sanitizeError(error);
  const detail = clean.cause instanceof Error ? clean.cause.message : clean.message;
  return new FusioError("Io", `the request failed${detail ? `: ${detail}` : ""}`, {
    ...context,
    retryable: true,
    cause: clean,
  });
}
