// The rarely used operations of AzureBlobFs / AzureBlobFile, loaded at their first use: copy,
// conditional writes, whole-blob reads, the properties an append keeps, copy-source access.
import {
  type AbortSignalLike,
  type CallOptions,
  type CasCondition,
  checkBytes,
  checkCasCondition,
  type ErrorContext,
  type File,
  type FileMeta,
  FusioError,
  type HttpResponse,
  type Path,
  type PutConditionalOptions,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { bodyText, collectBody, concatBytes, sleep } from "@fusio/http";
import type { FileState } from "../azure-file.ts";
import { BlockWriter, type ExistingBlob, propertyHeaders } from "../block-writer.ts";
import {
  type BlobClient,
  type BlobRequest,
  blobName,
  blobSize,
  type CallContext,
  drain,
  errorContext,
} from "./client.ts";
import { parseListPage, quoteEtag } from "./list-xml.ts";
import { signBlobSas } from "./sas.ts";

/**
 * The query text and headers that let the service read `blob` as the source of Copy Blob /
 * Put Block From URL: a short read-only SAS under Shared Key, the SAS itself, or the bearer token.
 */
export async function sourceAccess(
  client: BlobClient,
  blob: string,
  signal?: AbortSignalLike,
): Promise<{ query: string; headers: Record<string, string> }> {
  const { authorizer: auth, account, container } = client.config;
  if (auth.token !== undefined) {
    return { query: "", headers: { "x-ms-copy-source-authorization": `Bearer ${await auth.token(signal)}` } };
  }
  if (auth.key === undefined) return { query: auth.sas ?? "", headers: {} };
  const now = Date.now();
  const query = await signBlobSas(auth.key, {
    account,
    container,
    blob,
    permissions: "r",
    startsOn: new Date(now - 5 * 60_000),
    expiresOn: new Date(now + 60 * 60_000),
  });
  return { query, headers: {} };
}

/** The blob's URL with what lets the service read it (a copy source). */
export async function sourceUrl(
  client: BlobClient,
  blob: string,
  signal?: AbortSignalLike,
): Promise<{ url: string; headers: Record<string, string> }> {
  const access = await sourceAccess(client, blob, signal);
  const url = client.origin + client.path(blob);
  return { url: access.query === "" ? url : `${url}?${access.query}`, headers: access.headers };
}

/** Size, ETag, properties and metadata of one blob (List Blobs with include=metadata). */
export async function describe(
  client: BlobClient,
  name: string,
  signal: AbortSignalLike | undefined,
): Promise<ExistingBlob | undefined> {
  const page = await client.send(
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

/**
 * `AzureBlobFs.open` of an append: the blob's size, ETag, properties and metadata (an append
 * keeps them), or a new blob when it is missing and `create` is set.
 */
export async function openAppend(
  client: BlobClient,
  name: string,
  create: boolean,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
  file: (size: number, publish: boolean, existing?: ExistingBlob) => File,
): Promise<File> {
  const existing = await describe(client, name, signal);
  if (existing === undefined) {
    if (!create) throw new FusioError("NotFound", "no such blob", context);
    return file(0, true);
  }
  // An empty blob is replaced by what is written (guarded by nothing: there is nothing to keep).
  return file(existing.size, false, existing.size > 0 ? existing : undefined);
}

/** `AzureBlobFs.stat`: Get Blob Properties (size, modification time, ETag). */
export async function stat(client: BlobClient, path: Path | string, options?: CallOptions): Promise<FileMeta> {
  const key = toPath(path);
  throwIfAborted(options?.signal, errorContext("stat", key));
  if (key.isRoot) return { path: key, size: 0, isDirectory: true };
  const response = await client.call(
    { method: "HEAD", key: key.raw },
    { op: "stat", path: key.raw, signal: options?.signal, idempotent: true },
  );
  const modified = response.headers.get("last-modified");
  const meta: { path: Path; size: number; lastModified?: Date; etag?: string } = {
    path: key,
    size: Number(response.headers.get("content-length") ?? 0),
  };
  if (modified !== null) meta.lastModified = new Date(modified);
  const etag = quoteEtag(response.headers.get("etag"));
  if (etag !== undefined) meta.etag = etag;
  return meta;
}

/** `AzureBlobFs.remove`: Delete Blob with its snapshots; a missing blob is fine. */
export async function remove(client: BlobClient, path: Path | string, options?: CallOptions): Promise<void> {
  const key = toPath(path);
  const context = errorContext("remove", key);
  throwIfAborted(options?.signal, context);
  const name = blobName(key, context);
  try {
    await client.call(
      { method: "DELETE", key: name, headers: { "x-ms-delete-snapshots": "include" } },
      { op: "remove", path: name, signal: options?.signal, idempotent: true },
    );
  } catch (error) {
    if (!FusioError.is(error, "NotFound")) throw error;
  }
}

/** `AzureBlobFs.link`: Blob Storage has none. */
export async function link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
  const source = toPath(from);
  toPath(to);
  const context = errorContext("link", source);
  throwIfAborted(options?.signal, context);
  throw new FusioError("Unsupported", "Azure Blob Storage has no links", context);
}

/** The block writer of an `AzureBlobFile` whose bytes reached a block, fed what it buffered so far. */
export async function startBlocks(state: FileState, key: string, buffered: Uint8Array[]): Promise<BlockWriter> {
  const { client, blockSize, concurrency, existing, onProgress } = state;
  const writer = new BlockWriter({
    client,
    key,
    blockSize,
    concurrency,
    existing,
    onProgress: onProgress && ((loaded) => onProgress({ loaded, path: key })),
  });
  if (buffered.length > 0) await writer.write(concatBytes(buffered));
  return writer;
}

/**
 * `AzureBlobFile.close` with a block writer: commits, or discards the staged blocks when the
 * caller aborted (the service drops uncommitted blocks after a week) or the commit failed.
 */
export async function closeBlocks(
  pending: Promise<BlockWriter>,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<void> {
  const writer = await pending.catch(() => undefined);
  if (signal?.aborted) {
    await writer?.abort(signal.reason);
    throwIfAborted(signal, context);
  }
  // A writer that failed to start rethrows its failure here.
  const active = writer ?? (await pending);
  try {
    await active.commit(signal);
  } catch (error) {
    await active.abort(error);
    throw error;
  }
}

/**
 * Why a ranged read's answer is unusable (`AzureBlobFile.readExactAt`): not a 206 for the range
 * asked (`Remote`), or a range that ends before `pos + length` (`UnexpectedEof`). Drains the body.
 */
export async function rangeError(
  response: HttpResponse,
  range: RegExpExecArray | null,
  pos: number,
  length: number,
  context: ErrorContext,
): Promise<FusioError> {
  await drain(response.body);
  if (response.status !== 206 || range === null || Number(range[1]) !== pos) {
    return new FusioError("Remote", `the server did not answer the range with 206 (got ${response.status})`, {
      ...context,
      status: response.status,
    });
  }
  return new FusioError("UnexpectedEof", `read of ${length} bytes at ${pos} passes the end (${range[3]})`, context);
}

/** A body that ended before its announced length (retryable). */
export function shortBody(got: number, expected: number, context: ErrorContext): FusioError {
  return new FusioError("Io", `the response body ended after ${got} of ${expected} bytes`, {
    op: context.op,
    path: context.path,
    backend: "azure",
    retryable: true,
  });
}

/** A whole (or tail) GET whose body must match its Content-Length. */
function readAll(
  client: BlobClient,
  request: BlobRequest,
  context: CallContext,
): Promise<{ data: Uint8Array; etag: string | null }> {
  return client.send(request, context, async (response) => {
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    const known = Number.isSafeInteger(length);
    const data = await collectBody(response.body, known ? length : undefined);
    if (known && data.length !== length) throw shortBody(data.length, length, context);
    return { data, etag: response.headers.get("etag") };
  });
}

/** `AzureBlobFile.readToEndAt`. */
export async function readToEnd(
  client: BlobClient,
  key: string,
  pos: number,
  signal: AbortSignalLike | undefined,
): Promise<Uint8Array> {
  // Without a range an empty blob reads fine; a range at the end is unsatisfiable (416).
  const headers: Record<string, string> = pos === 0 ? {} : { "x-ms-range": `bytes=${pos}-` };
  try {
    return (
      await readAll(client, { method: "GET", key, headers }, { op: "readToEndAt", path: key, signal, idempotent: true })
    ).data;
  } catch (error) {
    if (!FusioError.is(error, "UnexpectedEof")) throw error;
    // 416: `pos` is at or past the end; at the end is an empty read.
    if ((await blobSize(client, key, "size", signal)) === pos) return new Uint8Array(0);
    throw error;
  }
}

/** `AzureBlobFs.copy`: Copy Blob, waiting for an asynchronous copy to finish. */
export async function copy(
  client: BlobClient,
  from: Path | string,
  to: Path | string,
  options: CallOptions | undefined,
): Promise<void> {
  const sourcePath = toPath(from);
  const targetPath = toPath(to);
  const context = errorContext("copy", sourcePath);
  const signal = options?.signal;
  throwIfAborted(signal, context);
  const sourceName = blobName(sourcePath, context);
  const targetName = blobName(targetPath, context);
  const source = await sourceUrl(client, sourceName, signal);
  const response = await client.call(
    { method: "PUT", key: targetName, headers: { ...source.headers, "x-ms-copy-source": source.url } },
    { op: "copy", path: sourceName, signal, idempotent: true },
  );
  // Copy Blob may finish asynchronously (202 + x-ms-copy-status: pending): wait for it.
  let status = response.headers.get("x-ms-copy-status");
  const copyId = response.headers.get("x-ms-copy-id");
  for (let attempt = 1; status === "pending"; attempt++) {
    await sleep(Math.min(2000, 50 * 2 ** attempt), signal, context);
    const head = await client.call(
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

/** `AzureBlobFs.loadWithTag`: the blob's bytes and ETag, undefined when missing. */
export async function loadWithTag(
  client: BlobClient,
  path: Path | string,
  options: CallOptions | undefined,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  const key = toPath(path);
  const context = errorContext("loadWithTag", key);
  const signal = options?.signal;
  throwIfAborted(signal, context);
  const name = blobName(key, context);
  try {
    const { data, etag } = await readAll(
      client,
      { method: "GET", key: name },
      { op: "loadWithTag", path: name, signal, idempotent: true },
    );
    return { data, tag: quoteEtag(etag) ?? "" };
  } catch (error) {
    if (FusioError.is(error, "NotFound")) return undefined;
    throw error;
  }
}

/** `AzureBlobFs.putConditional`: Put Blob with If-None-Match: * or If-Match. */
export async function putConditional(
  client: BlobClient,
  path: Path | string,
  data: Uint8Array,
  when: CasCondition,
  options: PutConditionalOptions,
): Promise<string> {
  const key = toPath(path);
  const context = errorContext("putConditional", key);
  checkBytes(data, "data", context);
  checkCasCondition(when, context);
  throwIfAborted(options.signal, context);
  const name = blobName(key, context);
  const headers: Record<string, string> = {
    ...propertyHeaders({ contentType: options.contentType, metadata: options.metadata }),
    "x-ms-blob-type": "BlockBlob",
  };
  if ("ifNotExists" in when) headers["if-none-match"] = "*";
  else headers["if-match"] = when.ifMatch;
  try {
    // Not idempotent: a lost answer to a successful write would be retried into a 412.
    const response = await client.call(
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
