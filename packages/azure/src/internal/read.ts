// Reads: what a ranged read checks in the service's answer, and whole (or tail) reads.
import { type AbortSignalLike, type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import { collectBody } from "@fusio/http";
import { type BlobClient, type BlobRequest, blobSize, type CallContext, drain } from "./client.ts";

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
export function readAll(
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

/** `AzureBlobFile.readToEndAt`: blob `key` from `pos` to its end. */
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
