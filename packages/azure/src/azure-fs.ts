import {
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
  type ErrorContext,
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
import { bodyText, collectBody, FetchHttpClient, type RetryOptions, retryPolicy, sleep } from "@fusio/http";
import { AzureBlobFile } from "./azure-file.ts";
import { type ExistingBlob, propertyHeaders } from "./block-writer.ts";
import { type ParsedConnectionString, parseConnectionString } from "./connection-string.ts";
import { type AzureCredential, authorizer } from "./credential.ts";
import { BlobClient } from "./internal/client.ts";
import { ListOrder, parseListPage, quoteEtag, scanListPage } from "./internal/list-xml.ts";

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
  /** How requests reach the network. Defaults to fetch; on Node `@fusio/node/http` is faster. */
  http?: HttpClient | undefined;
  /** Block size of staged uploads in bytes; objects up to this size are one Put Blob. Default 8 MiB. */
  blockSize?: number | undefined;
  /** Blocks uploading at once per writer. Default 4. Writer memory stays near `blockSize x (concurrency + 1)`. */
  concurrency?: number | undefined;
  /** Retries with jittered backoff (500, 503 ServerBusy, timeouts, resets); `false` for none. */
  retry?: RetryOptions | false | undefined;
  /** Milliseconds the server may stay silent before a request fails `Timeout`. Default 30 000; 0 for none. */
  timeout?: number | undefined;
}

/** {@link AzureBlobFsOptions} without what a connection string supplies. */
export type AzureConnectionOptions = Omit<AzureBlobFsOptions, "account" | "endpoint" | "credential">;

const DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
/** Azure's largest block (API versions from 2019-12-12). */
const MAX_BLOCK_SIZE = 4000 * 1024 * 1024;
const LIST_PAGE = 5000;

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
  readonly #blockSize: number;
  readonly #concurrency: number;

  constructor(options: AzureBlobFsOptions) {
    const context = { op: "AzureBlobFs", backend: "azure" };
    const fail = (message: string): never => {
      throw new FusioError("InvalidArgument", message, context);
    };
    if (typeof options?.account !== "string" || options.account === "") fail("account is required");
    if (typeof options.container !== "string" || options.container === "") fail("container is required");
    const endpoint = (options.endpoint ?? `https://${options.account}.blob.core.windows.net`).replace(/\/+$/, "");
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      fail("endpoint is not a URL");
    }
    if (parsed?.search !== "" || parsed.hash !== "")
      fail("endpoint must not carry a query (give a SAS as the credential)");
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
      fail(`blockSize must be an integer from 1 to ${MAX_BLOCK_SIZE}`);
    }
    const concurrency = options.concurrency ?? 4;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) fail("concurrency must be a positive integer");
    this.account = options.account;
    this.container = options.container;
    this.endpoint = endpoint;
    this.id = `azure:${endpoint}#${options.account}/${options.container}`;
    this.#blockSize = blockSize;
    this.#concurrency = concurrency;
    this.#client = new BlobClient({
      account: options.account,
      container: options.container,
      endpoint,
      authorizer: authorizer(options.account, options.credential),
      http: options.http ?? new FetchHttpClient(),
      retry: retryPolicy(options.retry),
      timeout: options.timeout ?? 30_000,
    });
  }

  /**
   * An AzureBlobFs from a storage connection string (`AccountName=...;AccountKey=...`,
   * `BlobEndpoint=...;SharedAccessSignature=...`, or `UseDevelopmentStorage=true` for Azurite).
   */
  static fromConnectionString(connectionString: string, options: AzureConnectionOptions): AzureBlobFs {
    const parsed: ParsedConnectionString = parseConnectionString(connectionString);
    const credential: AzureCredential =
      parsed.accountKey !== undefined
        ? { accountKey: parsed.accountKey }
        : parsed.sasToken !== undefined
          ? { sasToken: parsed.sasToken }
          : { anonymous: true };
    return new AzureBlobFs({ ...options, account: parsed.account, endpoint: parsed.endpoint, credential });
  }

  #context(op: string, path: Path): ErrorContext {
    return { op, path: path.raw, backend: this.kind };
  }

  #fileKey(path: Path, context: ErrorContext): string {
    if (path.isRoot) throw new FusioError("IsADirectory", "the root is not a blob", context);
    return path.raw;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const key = toPath(path);
    const context = this.#context("open", key);
    const open = normalizeOpenOptions(options);
    throwIfAborted(options.signal, context);
    const name = this.#fileKey(key, context);
    if (open.syncOnClose !== undefined) {
      throw new FusioError("Unsupported", "a blob is durable only once it is published at close", context);
    }
    const state = {
      client: this.#client,
      blockSize: this.#blockSize,
      concurrency: this.#concurrency,
      options: open,
    };
    if (open.truncate && open.create) {
      // Replaced whatever is there: nothing to learn from the server.
      return new AzureBlobFile(key, { ...state, size: 0, existing: undefined, publish: true });
    }
    if (open.append) {
      // An append keeps the blob's properties and metadata, which a listing returns in one go.
      const existing = await this.#describe(name, options.signal);
      if (existing === undefined) {
        if (!open.create) throw new FusioError("NotFound", "no such blob", context);
        return new AzureBlobFile(key, { ...state, size: 0, existing: undefined, publish: true });
      }
      return new AzureBlobFile(key, {
        ...state,
        size: existing.size,
        existing: existing.size > 0 ? existing : undefined,
        // An empty blob is replaced by what is written (guarded by nothing: there is nothing to keep).
        publish: false,
      });
    }
    const meta = await this.#head(name, "open", options.signal);
    if (meta === undefined) throw new FusioError("NotFound", "no such blob", context);
    return new AzureBlobFile(key, {
      ...state,
      size: open.truncate ? 0 : meta.size,
      existing: undefined,
      publish: open.truncate,
    });
  }

  async #head(name: string, op: string, signal: CallOptions["signal"]): Promise<FileMeta | undefined> {
    try {
      const response = await this.#client.call(
        { method: "HEAD", key: name },
        { op, path: name, signal, idempotent: true },
      );
      const modified = response.headers.get("last-modified");
      return {
        path: Path.parse(name),
        size: Number(response.headers.get("content-length") ?? 0),
        lastModified: modified === null ? undefined : new Date(modified),
        etag: quoteEtag(response.headers.get("etag")),
      } as FileMeta;
    } catch (error) {
      if (FusioError.is(error, "NotFound")) return undefined;
      throw error;
    }
  }

  /** Size, ETag, properties and metadata of one blob (List Blobs with include=metadata). */
  async #describe(name: string, signal: CallOptions["signal"]): Promise<ExistingBlob | undefined> {
    const page = await this.#client.send(
      {
        method: "GET",
        query: { restype: "container", comp: "list", prefix: name, include: "metadata", maxresults: "1" },
      },
      { op: "open", path: name, signal, idempotent: true },
      async (response) => parseListPage(await bodyText(response.body)),
    );
    const item = page.items[0];
    if (item === undefined || item.name !== name || item.etag === undefined) return undefined;
    return { ...item, etag: item.etag };
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const key = toPath(path);
    const context = this.#context("stat", key);
    throwIfAborted(options?.signal, context);
    if (key.isRoot) return { path: key, size: 0, isDirectory: true };
    const meta = await this.#head(key.raw, "stat", options?.signal);
    if (meta === undefined) throw new FusioError("NotFound", "no such blob", context);
    return { ...meta, path: key };
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const base = toPath(dir);
    const context = this.#context("list", base);
    const signal = options.signal;
    throwIfAborted(signal, context);
    const prefix = base.isRoot ? "" : `${base.raw}/`;
    const order = options.recursive ? undefined : new ListOrder(prefix);
    let marker: string | undefined;
    do {
      const query: Record<string, string> = { restype: "container", comp: "list", prefix };
      if (!options.recursive) query.delimiter = "/";
      if (marker !== undefined) query.marker = marker;
      query.maxresults = String(LIST_PAGE);
      const page = await this.#client.send(
        { method: "GET", query },
        { op: "list", path: base.raw, signal, idempotent: true },
        async (response) => {
          const text = await bodyText(response.body);
          try {
            return scanListPage(text);
          } catch (error) {
            throw new FusioError("Remote", "the listing is not readable XML", {
              ...context,
              cause: error,
              retryable: true,
            });
          }
        },
      );
      // Azurite groups a page's prefixes after its blobs; the service interleaves them. Either way
      // a page is one contiguous range of names, so sorting it restores the service order.
      if (order !== undefined) page.items.sort((a, b) => Path.compare(a.name, b.name));
      for (const item of page.items) {
        for (const ready of order === undefined ? [item] : order.push(item)) {
          const meta = toMeta(ready);
          if (meta !== undefined) yield meta;
        }
      }
      marker = page.nextMarker;
    } while (marker !== undefined);
    for (const ready of order?.end() ?? []) {
      const meta = toMeta(ready);
      if (meta !== undefined) yield meta;
    }
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    throwIfAborted(options?.signal, this.#context("createDirAll", key));
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    const context = this.#context("remove", key);
    throwIfAborted(options?.signal, context);
    const name = this.#fileKey(key, context);
    try {
      await this.#client.call(
        { method: "DELETE", key: name, headers: { "x-ms-delete-snapshots": "include" } },
        { op: "remove", path: name, signal: options?.signal, idempotent: true },
      );
    } catch (error) {
      if (!FusioError.is(error, "NotFound")) throw error;
    }
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    const target = toPath(to);
    const context = this.#context("copy", source);
    const signal = options?.signal;
    throwIfAborted(signal, context);
    const sourceName = this.#fileKey(source, context);
    const targetName = this.#fileKey(target, context);
    const access = await this.#client.config.authorizer.sourceAccess(this.container, sourceName, signal);
    const url = this.#client.url(sourceName);
    const response = await this.#client.call(
      {
        method: "PUT",
        key: targetName,
        headers: { ...access.headers, "x-ms-copy-source": access.query === "" ? url : `${url}?${access.query}` },
      },
      { op: "copy", path: sourceName, signal, idempotent: true },
    );
    // Copy Blob may finish asynchronously (202 + x-ms-copy-status: pending): wait for it.
    let status = response.headers.get("x-ms-copy-status");
    const copyId = response.headers.get("x-ms-copy-id");
    for (let attempt = 1; status === "pending"; attempt++) {
      await sleep(Math.min(2000, 50 * 2 ** attempt), signal, context);
      const head = await this.#client.call(
        { method: "HEAD", key: targetName },
        { op: "copy", path: targetName, signal, idempotent: true },
      );
      if (copyId !== null && head.headers.get("x-ms-copy-id") !== copyId) break;
      status = head.headers.get("x-ms-copy-status");
    }
    if (status !== null && status !== "success" && status !== "pending") {
      throw new FusioError("Remote", `the copy ended as ${status}`, context);
    }
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    toPath(to);
    const context = this.#context("link", source);
    throwIfAborted(options?.signal, context);
    throw new FusioError("Unsupported", "Azure Blob Storage has no links", context);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const key = toPath(path);
    const context = this.#context("loadWithTag", key);
    throwIfAborted(options?.signal, context);
    const name = this.#fileKey(key, context);
    try {
      return await this.#client.send(
        { method: "GET", key: name },
        { op: "loadWithTag", path: name, signal: options?.signal, idempotent: true },
        async (response) => {
          const length = Number(response.headers.get("content-length") ?? Number.NaN);
          const data = await collectBody(response.body, Number.isSafeInteger(length) ? length : undefined);
          if (Number.isSafeInteger(length) && data.length !== length) {
            throw new FusioError("Io", "the response body ended early", { ...context, retryable: true });
          }
          return { data, tag: quoteEtag(response.headers.get("etag")) ?? "" };
        },
      );
    } catch (error) {
      if (FusioError.is(error, "NotFound")) return undefined;
      throw error;
    }
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const key = toPath(path);
    const context = this.#context("putConditional", key);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    throwIfAborted(options.signal, context);
    const name = this.#fileKey(key, context);
    const headers: Record<string, string> = {
      ...propertyHeaders({ contentType: options.contentType, metadata: options.metadata }),
      "x-ms-blob-type": "BlockBlob",
    };
    if ("ifNotExists" in when) headers["if-none-match"] = "*";
    else headers["if-match"] = when.ifMatch;
    try {
      // Not idempotent: a lost answer to a successful write would be retried into a 412.
      const response = await this.#client.call(
        { method: "PUT", key: name, headers, body: data },
        { op: "putConditional", path: name, signal: options.signal, idempotent: false },
      );
      const tag = quoteEtag(response.headers.get("etag"));
      if (tag === undefined) throw new FusioError("Remote", "the service returned no ETag", context);
      return tag;
    } catch (error) {
      // If-Match on a missing blob: 404 on some services, 412 on others; both mean the condition failed.
      if (FusioError.is(error, "NotFound") && "ifMatch" in when) {
        throw new FusioError("PreconditionFailed", "the blob does not exist", { ...context, cause: error });
      }
      throw error;
    }
  }
}

function toMeta(item: {
  name: string;
  isPrefix: boolean;
  size: number;
  etag?: string | undefined;
  lastModified?: Date | undefined;
}): FileMeta | undefined {
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
