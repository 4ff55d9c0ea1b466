import type { AbortSignalLike } from "./signal.ts";

/** One HTTP request, as remote backends build it. */
export interface HttpRequest {
  readonly method: string;
  /** Absolute URL, already encoded. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** A buffer (sent as is, not copied where the client can avoid it) or a stream of chunks. */
  readonly body?: Uint8Array | AsyncIterable<Uint8Array> | undefined;
  /** Aborts the request and its response body. */
  readonly signal?: AbortSignalLike | undefined;
}

/** The answer to an {@link HttpRequest}. */
export interface HttpResponse {
  readonly status: number;
  /**
   * The response headers: `get` one by name (case-insensitive; repeated headers joined with
   * ", "), or visit them all with `forEach` (lower-case names), which backends need to read
   * user metadata such as `x-amz-meta-*`. A fetch `Headers` object fits as it is.
   */
  readonly headers: {
    get(name: string): string | null;
    forEach(callback: (value: string, name: string) => void): void;
  };
  /**
   * The body as chunks. The caller must consume it, or stop iterating (`break`), which
   * releases the connection.
   */
  readonly body: AsyncIterable<Uint8Array>;
}

/**
 * How remote backends reach the network. Implementations: `@fusio/http` (fetch, everywhere),
 * `@fusio/node/http` (undici). Transport failures reject with a `FusioError` (`Io`, `Timeout`,
 * `Aborted`); HTTP error statuses resolve normally and are the backend's to interpret.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}
