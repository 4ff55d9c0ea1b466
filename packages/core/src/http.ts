import type { AbortSignalLike, ErrorContext } from "./signal.ts";

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
  /**
   * Milliseconds the server may stay silent, for a client whose `enforcesTimeout` is true:
   * until the response headers arrive (each chunk of a streamed request body going up counts
   * as progress), then between two chunks of the response body. Time the caller spends
   * producing or consuming chunks does not count. Expiry rejects `Timeout` (retryable).
   * Omitted or 0: the client's own default.
   */
  readonly timeout?: number | undefined;
  /**
   * What the client's errors name as op / path / backend: the caller's operation (e.g.
   * `readExactAt` of a key on `s3`) rather than the HTTP request. A client uses its own when
   * omitted.
   */
  readonly context?: ErrorContext | undefined;
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
 * How remote backends reach the network. Implementations in `@fusio/http`: `FetchHttpClient`
 * (fetch, everywhere) and `UndiciHttpClient` (undici, Node's default). Transport failures reject with a `FusioError` (`Io`, `Timeout`,
 * `Aborted`); HTTP error statuses resolve normally and are the backend's to interpret.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * True when `send` enforces {@link HttpRequest.timeout} itself. Backends then hand it the
   * timeout; around any other client they run a stall timer and an abort controller of their
   * own on every request, which costs CPU on each one.
   */
  readonly enforcesTimeout?: boolean | undefined;
}
