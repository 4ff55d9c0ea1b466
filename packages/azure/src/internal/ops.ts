// The rarely used operations of AzureBlobFs / AzureBlobFile, loaded at their first use: copy,
// conditional writes, whole-blob reads, the properties an append keeps, copy-source access.
import {
  type AbortSignalLike,
  type CallOptions,
  type CasCondition,
  checkBytes,
  checkCasCondition,
  FusioError,
  type Path,
  type PutConditionalOptions,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { bodyText, collectBody, sleep } from "@fusio/http";
import { type ExistingBlob, propertyHeaders } from "../block-writer.ts";
import { type BlobClient, type BlobRequest, blobName, type CallContext, errorContext } from "./client.ts";
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

/** The blob's URL with what lets the service read it. */
async function sourceUrl(client: BlobClient, blob: string, signal?: AbortSignalLike) {
  const access = await sourceAccess(client, blob, signal);
  const url = client.url(blob);
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
    if (known && data.length !== length) {
      throw new FusioError("Io", `the response body ended after ${data.length} of ${length} bytes`, {
        op: context.op,
        path: context.path,
        backend: "azure",
        retryable: true,
      });
    }
    return { data, etag: response.headers.get("etag") };
  });
}

/** `AzureBlobFile.readToEndAt`; `size` is the blob's current size, asked only after a 416. */
export async function readToEnd(
  client: BlobClient,
  key: string,
  pos: number,
  signal: AbortSignalLike | undefined,
  size: () => Promise<number>,
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
    if ((await size()) === pos) return new Uint8Array(0);
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
