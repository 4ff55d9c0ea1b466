import {
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  type File,
  type FileMeta,
  FusioError,
  type HttpClient,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  Path,
  type PutConditionalOptions,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { bodyText } from "@fusio/http/body";
import { defaultHttpClient } from "@fusio/http/default-client";
import { type RetryOptions, retryPolicy } from "@fusio/http/retry";
import { AzureBlobFile, type FileState } from "./azure-file.ts";
import type { ExistingBlob } from "./block-writer.ts";
import { parseConnectionString } from "./connection-string.ts";
import { type AzureCredential, authorizer } from "./credential.ts";
import { BlobClient, blobName, blobSize, errorContext, extras } from "./internal/client.ts";
import { type ListedItem, scanListPage } from "./internal/list-scan.ts";

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

  /**
   * An AzureBlobFs from a storage connection string (`AccountName=...;AccountKey=...`,
   * `BlobEndpoint=...;SharedAccessSignature=...`, or `UseDevelopmentStorage=true` for Azurite).
   */
  static fromConnectionString(connectionString: string, options: AzureConnectionOptions): AzureBlobFs {
    const { account, endpoint, accountKey, sasToken } = parseConnectionString(connectionString);
    const credential: AzureCredential =
      accountKey !== undefined ? { accountKey } : sasToken !== undefined ? { sasToken } : { anonymous: true };
    return new AzureBlobFs({ ...options, account, endpoint, credential });
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const key = toPath(path);
    const context = errorContext("open", key);
    const open = normalizeOpenOptions(options);
    const signal = options.signal;
    throwIfAborted(signal, context);
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
    if (open.append) return (await extras()).openAppend(this.#client, name, open.create, signal, context, file);
    // A missing blob rejects NotFound (mapped from the service's answer).
    const size = await blobSize(this.#client, name, "open", signal);
    return file(open.truncate ? 0 : size, open.truncate);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    return (await extras()).stat(this.#client, path, options);
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const base = toPath(dir);
    const context = errorContext("list", base);
    const signal = options.signal;
    throwIfAborted(signal, context);
    const prefix = base.isRoot ? "" : `${base.raw}/`;
    const query: Record<string, string> = { restype: "container", comp: "list", prefix, maxresults: "5000" };
    // A delimited listing is reordered into fusio's order (a directory sorts as its path).
    const order = options.recursive ? undefined : new (await extras()).ListOrder(prefix);
    if (order !== undefined) query.delimiter = "/";
    let marker: string | undefined;
    do {
      const page = await this.#client.send(
        { method: "GET", query },
        { op: "list", path: base.raw, signal, idempotent: true },
        async (response) => {
          try {
            return scanListPage(await bodyText(response.body));
          } catch (error) {
            throw new FusioError("Remote", "the listing is not readable XML", {
              ...context,
              cause: error,
              retryable: true,
            });
          }
        },
      );
      marker = page.nextMarker;
      if (marker !== undefined) query.marker = marker;
      for (const item of order?.page(page.items, marker === undefined) ?? page.items) {
        const meta = toMeta(item);
        if (meta !== undefined) yield meta;
      }
    } while (marker !== undefined);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal, errorContext("createDirAll", toPath(path)));
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    return (await extras()).remove(this.#client, path, options);
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return (await extras()).copy(this.#client, from, to, options);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    return (await extras()).link(from, to, options);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    return (await extras()).loadWithTag(this.#client, path, options);
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    return (await extras()).putConditional(this.#client, path, data, when, options);
  }
}

/** A listed blob or prefix as fusio metadata; undefined for a name that is not a fusio path. */
function toMeta(item: ListedItem): FileMeta | undefined {
  let path: Path;
  try {
    path = Path.parse(item.isPrefix ? item.name.slice(0, -1) : item.name);
  } catch {
    // A blob whose name is not a fusio path (e.g. `a//b`, written by another client) is skipped.
    return undefined;
  }
  if (item.isPrefix) return { path, size: 0, isDirectory: true };
  const meta: { path: Path; size: number; lastModified?: Date; etag?: string } = { path, size: item.size };
  if (item.lastModified !== undefined) meta.lastModified = item.lastModified;
  if (item.etag !== undefined) meta.etag = item.etag;
  return meta;
}
