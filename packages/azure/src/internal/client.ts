import {
  type AbortSignalLike,
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpResponse,
  type Path,
} from "@fusio/core";
import { type RetryPolicy, withRetry } from "@fusio/http/retry";
import { sendRequest } from "@fusio/http/send";
import type { Authorizer } from "../credential.ts";
import { API_VERSION } from "../shared-key.ts";
import { contentLength } from "./answer.ts";
import { responseError } from "./errors.ts";

/** One Blob service request. Header names are lower case; query values are not encoded. */
export interface BlobRequest {
  readonly method: string;
  /** The blob name (not encoded); undefined addresses the container. */
  readonly key?: string | undefined;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: Uint8Array | undefined;
}

/** What one call is, for errors, aborts and retries. */
export interface CallContext extends ErrorContext {
  readonly signal?: AbortSignalLike | undefined;
  /** Repeating it after an ambiguous failure (reset, timeout) cannot change the outcome. */
  readonly idempotent: boolean;
}

export interface ClientConfig {
  readonly account: string;
  readonly container: string;
  /** The Blob endpoint (its path without a trailing slash). */
  readonly url: URL;
  readonly authorizer: Authorizer;
  readonly http: HttpClient;
  readonly retry: RetryPolicy;
  readonly timeout: number;
}

const EMPTY = new Uint8Array(0);

/**
 * The silence allowed for a request: the server answers only once the body is sent, so a block
 * upload gets extra time at a pessimistic 64 KiB/s on top of the configured timeout.
 */
function timeoutFor(timeout: number, body: Uint8Array | undefined): number {
  if (!(timeout > 0) || body === undefined || body.length < 65_536) return timeout;
  return timeout + Math.ceil(body.length / 65_536) * 1000;
}

/** The blob name of `path`. @throws FusioError `IsADirectory` for the root. */
export function blobName(path: Path, context: ErrorContext): string {
  if (path.isRoot) throw new FusioError("IsADirectory", "the root is not a blob", context);
  return path.raw;
}

/** @internal Signs, sends and retries Blob service requests for one container. */
export class BlobClient {
  readonly config: ClientConfig;
  /** The endpoint's origin; a blob's URL is `origin + path(key)`. */
  readonly origin: string;
  readonly #containerPath: string;

  constructor(config: ClientConfig) {
    this.config = config;
    const url = config.url;
    this.origin = url.origin;
    this.#containerPath = `${url.pathname.replace(/\/+$/, "")}/${encodeURIComponent(config.container)}`;
  }

  /** The URL path of `key` (or of the container), percent-encoded segment by segment. */
  path(key: string | undefined): string {
    return key === undefined
      ? this.#containerPath
      : `${this.#containerPath}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  /**
   * The URL of blob `key` with what lets the service itself read it: the source of Copy Blob and
   * of Put Block From URL (an append's splice).
   */
  async sourceUrl(key: string, signal?: AbortSignalLike): Promise<{ url: string; headers: Record<string, string> }> {
    const access = await this.config.authorizer.sourceAccess(this.config.container, key, signal);
    const url = this.origin + this.path(key);
    return { url: access.query === "" ? url : `${url}?${access.query}`, headers: access.headers };
  }

  /**
   * Sends `request` (signed afresh for every try, retried by the policy) and hands a success
   * response to `handle`, inside the retry loop so that a failed body read is repeated too.
   * An error response rejects with the mapped `FusioError`.
   */
  send<T>(request: BlobRequest, context: CallContext, handle: (response: HttpResponse) => Promise<T>): Promise<T> {
    const errorContext: ErrorContext = { op: context.op, path: context.path, backend: "azure" };
    return withRetry(
      async () => {
        const body = request.body ?? (request.method === "PUT" ? EMPTY : undefined);
        const headers: Record<string, string> = {
          ...request.headers,
          "x-ms-version": API_VERSION,
          "x-ms-date": new Date().toUTCString(),
        };
        const path = this.path(request.key);
        const query = request.query;
        const authorization = this.config.authorizer.authorize({
          method: request.method,
          path,
          query,
          headers,
          contentLength: body?.length ?? 0,
          signal: context.signal,
        });
        const extra = typeof authorization === "string" ? authorization : await authorization;
        let search = "";
        if (query !== undefined) {
          for (const name in query) {
            search += `${search === "" ? "?" : "&"}${name}=${encodeURIComponent(query[name] as string)}`;
          }
        }
        if (extra !== "") search += `${search === "" ? "?" : "&"}${extra}`;
        const response = await sendRequest(
          this.config.http,
          { method: request.method, url: this.origin + path + search, headers, body },
          { timeout: timeoutFor(this.config.timeout, body), signal: context.signal, context: errorContext },
        );
        const status = response.status;
        if (status >= 200 && status < 300) return handle(response);
        throw await responseError(response, errorContext);
      },
      { retry: this.config.retry, signal: context.signal, idempotent: context.idempotent, context: errorContext },
    );
  }

  /** {@link send} for requests whose body is not needed. */
  call(request: BlobRequest, context: CallContext): Promise<HttpResponse> {
    return this.send(request, context, async (response) => {
      await drain(response.body);
      return response;
    });
  }
}

/**
 * Reads a (short) body to its end, so the connection can be reused; past 64 KiB, which no
 * answer read this way comes near, the connection is dropped instead.
 */
export async function drain(body: AsyncIterable<Uint8Array>): Promise<void> {
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read > 65_536) break;
  }
}

/**
 * The size of blob `key` (Get Blob Properties).
 * @throws FusioError `NotFound` when it is missing, `Remote` without a usable `Content-Length`.
 */
export async function blobSize(
  client: BlobClient,
  key: string,
  op: string,
  signal: AbortSignalLike | undefined,
): Promise<number> {
  const response = await client.call({ method: "HEAD", key }, { op, path: key, signal, idempotent: true });
  return contentLength(response.headers, { op, path: key, backend: "azure" });
}
