import {
  type AbortSignalLike,
  type ErrorContext,
  FusioError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from "@fusio/core";
import { invalidAnswer } from "@fusio/http/answer";
import { discardBody } from "@fusio/http/body";
import { errorBodyText } from "@fusio/http/bounded-body";
import { defaultHttpClient } from "@fusio/http/default-client";
import { type RetryOptions, withRetry } from "@fusio/http/retry";
import { sendRequest } from "@fusio/http/send";
import { defaultSigner } from "#default-signer";
import { type CredentialsProvider, cachedCredentials } from "../credentials.ts";
import { encodeKey, encodeQuery } from "../encode.ts";
import { MAX_COPY_PART, MIN_PART_SIZE, type S3Compat, type S3FsOptions } from "../options.ts";
import { EMPTY_SHA256, type S3Credentials, type Signer } from "../signer.ts";
import { noSuchObject, s3Error } from "./errors.ts";
import { headObject, type ObjectHead } from "./head.ts";
import { type PutOptions, putObject } from "./put.ts";

let stampSecond = -1;
let stamp = "";

/** The SigV4 timestamp of now (`20150830T123600Z`), formatted once per second. */
function amzDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stamp = new Date(second * 1000).toISOString().replace(/[:-]|\.\d{3}/g, "");
  }
  return stamp;
}

/** One S3 API call. */
export interface S3Call {
  readonly method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  /** The object key (raw, unencoded); omitted for bucket-level calls (list). */
  readonly key?: string | undefined;
  readonly query?: Readonly<Record<string, string | undefined>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: Uint8Array | undefined;
  /** Whether repeating the call cannot change the outcome (see `withRetry`). */
  readonly idempotent: boolean;
  readonly context: ErrorContext;
  readonly signal?: AbortSignalLike | undefined;
  /** Statuses handled by the caller instead of raising; 2xx always are. */
  readonly accept?: readonly number[] | undefined;
}

/** The resolved, immutable configuration plus the request pipeline every S3 call goes through. */
export class S3Client {
  readonly bucket: string;
  readonly region: string;
  /** The endpoint URL without a trailing slash (for ids and messages; never holds secrets). */
  readonly endpoint: string;
  readonly pathStyle: boolean;
  readonly compat: Readonly<S3Compat>;
  /** Multipart part size in bytes. */
  readonly partSize: number;
  /** Parts one writer uploads at once. */
  readonly concurrency: number;
  readonly onProgress: S3FsOptions["onProgress"];
  readonly #http: HttpClient;
  readonly #signer: Signer;
  readonly #credentials: CredentialsProvider | undefined;
  readonly #signPayload: boolean;
  readonly #retry: RetryOptions | false | undefined;
  readonly #timeout: number;
  /** `https:` or `http:`. */
  readonly #protocol: string;
  /** `host[:port]` of the requests (the bucket's own host in virtual-hosted style). */
  readonly #host: string;
  readonly #basePath: string;
  /** The encoded path every object path starts with: the base path, and the bucket in path style. */
  readonly #bucketPath: string;

  constructor(options: S3FsOptions) {
    const context = { op: "new S3Fs", backend: "s3" };
    if (typeof options?.bucket !== "string" || options.bucket === "" || options.bucket.includes("/")) {
      throw new FusioError("InvalidArgument", "`bucket` must be a non-empty bucket name", context);
    }
    this.bucket = options.bucket;
    this.region = options.region ?? "us-east-1";
    let url: URL;
    try {
      url = new URL(options.endpoint ?? `https://s3.${this.region}.amazonaws.com`);
    } catch (error) {
      throw new FusioError("InvalidArgument", "`endpoint` is not a URL", { ...context, cause: error });
    }
    if (url.username || url.password || url.search) {
      throw new FusioError("InvalidArgument", "`endpoint` must not carry credentials or a query", context);
    }
    this.pathStyle = options.forcePathStyle ?? (options.endpoint !== undefined || this.bucket.includes("."));
    this.#basePath = url.pathname.replace(/\/+$/, "");
    this.#protocol = url.protocol;
    this.#host = this.pathStyle ? url.host : `${this.bucket}.${url.host}`;
    this.endpoint = `${url.protocol}//${url.host}${this.#basePath}`;
    this.#bucketPath = `${this.#basePath}${this.pathStyle ? `/${encodeKey(this.bucket)}` : ""}`;
    if (!options.anonymous && options.credentials === undefined) {
      throw new FusioError(
        "InvalidArgument",
        "`credentials` are required unless `anonymous` is set (Node: `defaultCredentials()` of @fusio/s3/node-credentials)",
        context,
      );
    }
    this.#credentials = options.anonymous ? undefined : cachedCredentials(options.credentials as S3Credentials);
    this.#http = options.http ?? defaultHttpClient();
    this.#signer = options.signer ?? defaultSigner;
    this.#signPayload = options.signPayload === true;
    this.#retry = options.retry;
    this.#timeout = options.timeout ?? 30_000;
    this.compat = { ...options.compat };
    this.partSize = options.partSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE || this.partSize > MAX_COPY_PART) {
      throw new FusioError("InvalidArgument", "`partSize` must be an integer from 5 MiB to 5 GiB", context);
    }
    this.concurrency = options.concurrency ?? 4;
    if (!Number.isSafeInteger(this.concurrency) || this.concurrency < 1) {
      throw new FusioError("InvalidArgument", "`concurrency` must be a positive integer", context);
    }
    this.onProgress = options.onProgress;
  }

  /** The encoded path of `key` (or of the bucket when undefined). */
  path(key: string | undefined): string {
    return `${this.#bucketPath}/${key === undefined ? "" : encodeKey(key)}`;
  }

  // The two object calls most modules make, as methods: one seam a test can stand in for.

  /** HEAD of `key`, or undefined when it does not exist (see {@link headObject}). */
  head(key: string, context: ErrorContext, signal: AbortSignalLike | undefined): Promise<ObjectHead | undefined> {
    return headObject(this, key, context, signal);
  }

  /** PUT of a whole object; resolves to its ETag (see {@link putObject}). */
  put(key: string, body: Uint8Array, options: PutOptions): Promise<string> {
    return putObject(this, key, body, options);
  }

  /**
   * The error for a HEAD of an object that found nothing: `NotFound`, naming `NoSuchBucket` when
   * the bucket is what is missing (see `noSuchObject` in errors.ts).
   */
  async noSuchObject(context: ErrorContext, signal: AbortSignalLike | undefined): Promise<FusioError> {
    return noSuchObject(this, context, signal);
  }

  /** `/bucket/key` as `x-amz-copy-source` wants it (encoded the same way). */
  copySource(key: string): string {
    return `/${encodeKey(this.bucket)}/${encodeKey(key)}`;
  }

  /**
   * Sends `call` (signed afresh on every try) and hands a successful response to `handle`
   * (which reads or discards its body; when it throws, the body is released here),
   * inside the retry loop: a retryable failure while reading the body (reset, truncation,
   * stall) repeats the whole call. Error statuses become `FusioError`s from the first
   * `ERROR_BODY_LIMIT` bytes of the XML body. Whatever a handler throws that is not a `FusioError`
   * (a parser's `RangeError` or `URIError`) rejects `Remote`: no raw exception leaves a call.
   */
  send<T>(call: S3Call, handle: (response: HttpResponse) => T | Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        // Signing is synchronous on the common path (cached credentials, the native signer):
        // only a pending credential refresh or an asynchronous signer is awaited.
        const signed = this.#sign(call);
        const request = signed instanceof Promise ? await signed : signed;
        const response = await sendRequest(this.#http, request, {
          timeout: this.#timeout,
          signal: call.signal,
          context: call.context,
        });
        if ((response.status >= 200 && response.status < 300) || call.accept?.includes(response.status)) {
          try {
            return await handle(response);
          } catch (error) {
            // A handler that gives up on a response releases its connection here.
            await discardBody(response.body);
            throw FusioError.is(error) ? error : invalidAnswer("the answer is malformed", call.context, error);
          }
        }
        const text = call.method === "HEAD" ? "" : await errorBodyText(response.body);
        throw s3Error(response.status, response.headers, text, call.context);
      },
      { retry: this.#retry, signal: call.signal, idempotent: call.idempotent, context: call.context },
    );
  }

  /**
   * The signed request of `call`: at once on the common path, a promise when the credentials
   * are being refreshed or the signer (or the payload hash) is asynchronous.
   */
  #sign(call: S3Call, resolved?: readonly [S3Credentials | undefined, string]): HttpRequest | Promise<HttpRequest> {
    const credentials = resolved ? resolved[0] : this.#credentials?.();
    const hash =
      resolved?.[1] ??
      (!this.#signPayload || credentials === undefined
        ? "UNSIGNED-PAYLOAD"
        : call.body?.length
          ? this.#signer.sha256Hex(call.body)
          : EMPTY_SHA256);
    if (credentials instanceof Promise || hash instanceof Promise) {
      return Promise.all([credentials, hash]).then((both) => this.#sign(call, both));
    }
    const path = this.path(call.key);
    const query = call.query ? encodeQuery(call.query) : "";
    const headers: Record<string, string> = { ...call.headers };
    for (const name of this.compat.omitHeaders ?? []) delete headers[name];
    const request = (authorization?: string): HttpRequest => {
      if (authorization !== undefined) headers.authorization = authorization;
      const url = `${this.#protocol}//${this.#host}${path}${query ? `?${query}` : ""}`;
      return { method: call.method, url, headers, body: call.body };
    };
    if (credentials === undefined) return request();
    const datetime = amzDate();
    headers["x-amz-date"] = datetime;
    headers["x-amz-content-sha256"] = hash;
    if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
    const authorization = this.#signer.authorization({
      method: call.method,
      host: this.#host,
      path,
      query,
      headers,
      datetime,
      region: this.region,
      service: "s3",
      credentials,
    });
    return typeof authorization === "string" ? request(authorization) : authorization.then(request);
  }
}
