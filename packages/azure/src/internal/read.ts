// Reads: what a ranged or whole read checks in the service's answer before it believes it.
import { type AbortSignalLike, type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import { collectBody, collectExactly } from "@fusio/http";
import { invalidAnswer, missingHeader } from "@fusio/http/answer";
import { discardBody } from "@fusio/http/body";
import { byteCount, parseContentRange } from "./answer.ts";
import { type BlobClient, type BlobRequest, blobSize, type CallContext } from "./client.ts";

/**
 * Checks the answer to a ranged Get Blob of `length` bytes at `pos` (undefined: to the blob's
 * end) and resolves to the length of its range: a 206 whose `Content-Range` starts at `pos` and
 * ends where asked, or earlier where the blob ends (`UnexpectedEof`). Anything else is `Remote`,
 * a 200 above all: the range was ignored and its bytes start at 0. Releases the body when it throws.
 */
export async function checkRange(
  response: HttpResponse,
  pos: number,
  length: number | undefined,
  context: ErrorContext,
): Promise<number> {
  const range = parseContentRange(response.headers.get("content-range"));
  let error: FusioError | undefined;
  if (response.status !== 206) error = invalidAnswer(`a range was answered with ${response.status}, not 206`, context);
  else if (range === undefined) error = missingHeader("Content-Range", "the ranged read", context);
  else {
    const end = length === undefined ? (range.total ?? -1) - 1 : pos + length - 1;
    if (range.start !== pos || range.end > end || (range.end < end && range.total !== range.end + 1)) {
      error = invalidAnswer(
        `bytes ${range.start}-${range.end}/${range.total} were answered for ${pos}-${end}`,
        context,
      );
    } else if (range.end < end) {
      error = new FusioError(
        "UnexpectedEof",
        `read of ${length} bytes at ${pos} passes the end (${range.total})`,
        context,
      );
    }
  }
  if (error === undefined && range !== undefined) return range.end - range.start + 1;
  await discardBody(response.body);
  throw error;
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

/**
 * A whole (or, `from` > 0, tail: see {@link checkRange}) GET whose body must match its announced
 * length, a checked `Content-Length` or `Content-Range`.
 */
export function readAll(
  client: BlobClient,
  request: BlobRequest,
  context: CallContext,
  from = 0,
): Promise<{ data: Uint8Array; etag: string | null }> {
  const errorContext: ErrorContext = { op: context.op, path: context.path, backend: "azure" };
  return client.send(request, context, async (response) => {
    // A whole blob's length is its Content-Length, when that is a byte count.
    const length =
      from > 0 || response.status === 206
        ? await checkRange(response, from, undefined, errorContext)
        : byteCount(response.headers.get("content-length"));
    // A checked length is read exactly (a terabyte claim fails before anything is allocated).
    const data =
      length === undefined
        ? await collectBody(response.body)
        : await collectExactly(response.body, length, errorContext);
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
      await readAll(
        client,
        { method: "GET", key, headers },
        { op: "readToEndAt", path: key, signal, idempotent: true },
        pos,
      )
    ).data;
  } catch (error) {
    if (!FusioError.is(error, "UnexpectedEof")) throw error;
    // 416: `pos` is at or past the end; at the end is an empty read.
    if ((await blobSize(client, key, "size", signal)) === pos) return new Uint8Array(0);
    throw error;
  }
}
