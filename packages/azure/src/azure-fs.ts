import {
  beginCall,
  beginReadFile,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
  type File,
  type FileMeta,
  FusioError,
  type HttpClient,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
  toPath,
} from "@fusio/core";
import { defaultHttpClient } from "@fusio/http/default-client";
import { type RetryOptions, retryPolicy } from "@fusio/http/retry";
import { AzureBlobFile, type FileState } from "./azure-file.ts";
import { type AzureCredential, authorizer } from "./credential.ts";
import { contentLength, dateOf } from "./internal/answer.ts";
import type { ExistingBlob } from "./internal/blob-properties.ts";
import { BlobClient, blobName, blobSize } from "./internal/client.ts";
import { quoteEtag } from "./internal/etag.ts";
import { lazy } from "./internal/lazy.ts";
import { listBlobs } from "./internal/list.ts";
import { readAll } from "./internal/read.ts";

// Whole features, loaded with their first use.
const loadAppend = lazy(() => import("./internal/append.ts"));
const loadCopy = lazy(() => import("./internal/copy.ts"));
const loadCas = lazy(() => import("./internal/cas.ts"));

/** Options of {@link AzureBlobFs}. */
export interface AzureBlobFsOptions {
  /** The storage account name. */
  account: string;
  /** The container every path lives in (it must exist). */
  container: string;
  /**
   * The Blob endpoint. Defaults to `https://<account>.blob.core.windows.net`; for Azurite,
   * `http://127.0.0.1:10000/devstoreaccount1` (path style: the account is the first segment).
   */
  endpoint?: string | undefined;
  /** Shared Key, SAS token, bearer-token provider or anonymous. */
  credential: AzureCredential;
  /** How requests reach the network. Default: `defaultHttpClient()` of `@fusio/http` (undici on Node, fetch elsewhere). */
  http?: HttpClient | undefined;
  /** Block size of staged uploads in bytes; objects up to this size are one Put Blob. Default 8 MiB. */
  blockSize?: number | undefined;
  /** Blocks uploading at once per writer. Default 4. Writer memory stays near `blockSize x (concurrency + 1)`. */
  concurrency?: number | undefined;
  /** Retries with jittered backoff (500, 503 ServerBusy, timeouts, resets); `false` for none. */
  retry?: RetryOptions | false | undefined;
  /** Milliseconds the server may stay silent before a request fails `Timeout`. Default 30 000; 0 for none. */
  timeout?: number | undefined;
  /**
   * Progress of long writes: bytes stored so far by a file writer, after every staged block and
   * once more when the blob is committed (a small blob: once, at its Put Blob).
   */
  onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
}

/** {@link AzureBlobFsOptions} without what a connection string supplies. */
export type AzureConnectionOptions = Omit<AzureBlobFsOptions, "account" | "endpoint" | "credential">;

/** Azure's largest block (API versions from 2019-12-12). */
const MAX_BLOCK_SIZE = 4000 * 1024 * 1024;

/**
 * Azure Blob Storage as a fusio {@link CasFs}: paths are blob names in one container.
 * Conditional writes use `If-None-Match: *` / `If-Match` on Put Blob, tags are ETags.
 */
export class AzureBlobFs implements CasFs {
  readonly kind = "azure";
  readonly id: string;
  readonly capabilities: Capabilities = Object.freeze({
    link: false,
    copy: true,
    cas: true,
    directories: false,
    visibleBeforeClose: false,
    sync: Object.freeze([]),
  });
  /** The storage account. */
  readonly account: string;
  /** The container. */
  readonly container: string;
  /** The Blob endpoint (never holds a secret). */
  readonly endpoint: string;
  readonly #client: BlobClient;
  /** What every file of this fs shares. */
  readonly #file: Omit<FileState, "options" | "size" | "existing" | "publish">;

  constructor(options: AzureBlobFsOptions) {
    const fail = (message: string): never => {
      throw new FusioError("InvalidArgument", message, { op: "AzureBlobFs", backend: "azure" });
    };
    const { account, container, blockSize = 8 * 1024 * 1024, concurrency = 4 } = options ?? {};
    if (typeof account !== "string" || account === "") fail("account is required");
    if (typeof container !== "string" || container === "") fail("container is required");
    const endpoint = (options.endpoint ?? `https://${account}.blob.core.windows.net`).replace(/\/+$/, "");
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      fail("endpoint is not a URL");
    }
    if (url?.search || url?.hash) fail("endpoint must not carry a query (give a SAS as the credential)");
    if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
      fail(`blockSize must be an integer from 1 to ${MAX_BLOCK_SIZE}`);
    }
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) fail("concurrency must be a positive integer");
    this.account = account;
    this.container = container;
    this.endpoint = endpoint;
    this.id = `azure:${endpoint}#${account}/${container}`;
    this.#client = new BlobClient({
      account,
      container,
      url: url as URL,
      authorizer: authorizer(account, options.credential),
      http: options.http ?? defaultHttpClient(),
      retry: retryPolicy(options.retry),
      timeout: options.timeout ?? 30_000,
    });
    this.#file = { client: this.#client, blockSize, concurrency, onProgress: options.onProgress };
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const signal = options?.signal;
    const { path: key, context } = beginCall("azure", "open", path, signal);
    const open = normalizeOpenOptions(options);
    const name = blobName(key, context);
    if (open.syncOnClose !== undefined) {
      throw new FusioError("Unsupported", "a blob is durable only once it is published at close", context);
    }
    // `publish`: write at close even without writes (a created or truncated blob).
    const file = (size: number, publish: boolean, existing?: ExistingBlob): AzureBlobFile =>
      new AzureBlobFile(key, { ...this.#file, options: open, size, existing, publish });
    // Truncate + create replaces whatever is there: nothing to learn from the server.
    if (open.truncate && open.create) return file(0, true);
    // An append keeps the blob's properties and metadata, which a listing returns in one go.
    if (open.append) return (await loadAppend()).openAppend(this.#client, name, open.create, signal, context, file);
    // A missing blob rejects NotFound (mapped from the service's answer).
    const size = await blobSize(this.#client, name, "open", signal);
    return file(open.truncate ? 0 : size, open.truncate);
  }

  /**
   * The whole blob in one [Get Blob](https://learn.microsoft.com/rest/api/storageservices/get-blob),
   * without the Get Blob Properties of `open` (see `Fs.readFile`); its length is checked against
   * `Content-Length`.
   */
  async readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    const signal = options?.signal;
    const { path: key, context } = beginReadFile("azure", path, signal);
    const name = blobName(key, context);
    const call = { op: "readFile", path: name, signal, idempotent: true };
    return (await readAll(this.#client, { method: "GET", key: name }, call)).data;
  }

  /** Get Blob Properties (size, modification time, ETag); the root is a directory. */
  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const signal = options?.signal;
    const { path: key, context } = beginCall("azure", "stat", path, signal);
    if (key.isRoot) return { path: key, size: 0, isDirectory: true };
    const response = await this.#client.call(
      { method: "HEAD", key: key.raw },
      { op: "stat", path: key.raw, signal, idempotent: true },
    );
    const modified = dateOf(response.headers.get("last-modified"));
    const meta: { path: Path; size: number; lastModified?: Date; etag?: string } = {
      path: key,
      size: contentLength(response.headers, context),
    };
    if (modified !== undefined) meta.lastModified = modified;
    const etag = quoteEtag(response.headers.get("etag"));
    if (etag !== undefined) meta.etag = etag;
    return meta;
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = beginCall("azure", "list", dir, options.signal);
    yield* listBlobs(this.#client, base, Boolean(options.recursive), options.signal, context);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    beginCall("azure", "createDirAll", path, options?.signal);
  }

  /** Delete Blob with its snapshots; a missing blob is fine. */
  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    const { path: key, context } = beginCall("azure", "remove", path, signal);
    const name = blobName(key, context);
    try {
      await this.#client.call(
        { method: "DELETE", key: name, headers: { "x-ms-delete-snapshots": "include" } },
        { op: "remove", path: name, signal, idempotent: true },
      );
    } catch (error) {
      if (!FusioError.is(error, "NotFound")) throw error;
    }
  }

  /** Copy Blob, waiting for an asynchronous copy to finish. */
  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    const { path: source, context } = beginCall("azure", "copy", from, signal);
    const target = toPath(to, context);
    const sourceName = blobName(source, context);
    const targetName = blobName(target, context);
    return (await loadCopy()).copyBlob(this.#client, sourceName, targetName, signal, context);
  }

  /** Blob Storage has no links: rejects `Unsupported`. */
  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const { context } = beginCall("azure", "link", from, options?.signal);
    toPath(to, context);
    throw new FusioError("Unsupported", "Azure Blob Storage has no links", context);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const signal = options?.signal;
    const { path: key, context } = beginCall("azure", "loadWithTag", path, signal);
    const name = blobName(key, context);
    return (await loadCas()).loadWithTag(this.#client, name, signal, context);
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const { path: key, context } = beginCall("azure", "putConditional", path, options.signal);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    const name = blobName(key, context);
    return (await loadCas()).putConditional(this.#client, name, data, when, options, context);
  }
}
