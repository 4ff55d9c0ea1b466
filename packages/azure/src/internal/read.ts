// Reads: what a ranged or whole read checks in the service's answer before it believes it.
import { type AbortSignalLike, type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import { collectBody } from "@fusio/http";
import { discardBody } from "@fusio/http/body";
import { badAnswer, byteCount, type ContentRange, missingHeader, parseContentRange } from "./answer.ts";
import { type BlobClient, type BlobRequest, blobSize, type CallContext } from "./client.ts";

/** Releases the body of an answer that is not believed (the connection is dropped, not drained), and throws why. */
async function refuse(response: HttpResponse, error: FusioError): Promise<never> {
  await discardBody(response.body);
  throw error;
}

const notRanged = (status: number, context: ErrorContext): FusioError =>
  badAnswer(`the server did not answer the range with 206 (got ${status})`, context);

/** False when the response announces a `Content-Length` other than the length of `range`. */
function agrees(response: HttpResponse, range: ContentRange): boolean {
  const sent = response.headers.get("content-length");
  return sent === null || byteCount(sent) === range.end - range.start + 1;
}

/**
 * Checks the answer to a read of `length` bytes at `pos` (a ranged Get Blob): a 206 whose
 * `Content-Range` is `pos` to `pos + length - 1`, or stops earlier where the blob ends
 * (`UnexpectedEof`). Anything else is `Remote`: a 200 (the range was ignored: its bytes start at
 * 0), another range, a `Content-Length` that disagrees. Releases the body when it throws.
 */
export async function checkRange(
  response: HttpResponse,
  pos: number,
  length: number,
  context: ErrorContext,
): Promise<void> {
  const last = pos + length - 1;
  const range = parseContentRange(response.headers.get("content-range"));
  let error: FusioError | undefined;
  if (response.status !== 206) error = notRanged(response.status, context);
  else if (range === undefined) error = missingHeader("Content-Range", context);
  else if (!agrees(response, range)) error = badAnswer("the Content-Length disagrees with the Content-Range", context);
  else if (range.start === pos && range.end < last && range.total === range.end + 1) {
    error = new FusioError(
      "UnexpectedEof",
      `read of ${length} bytes at ${pos} passes the end (${range.total})`,
      context,
    );
  } else if (range.start !== pos || range.end !== last) {
    error = badAnswer(`the server answered bytes ${range.start}-${range.end}, not ${pos}-${last}`, context);
  }
  if (error !== undefined) await refuse(response, error);
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
 * The length of a whole (or tail, from `from` on) read's body, once the answer is checked: a
 * tail read needs a 206 whose `Content-Range` runs from `from` to the blob's end (a 200 means
 * the range was ignored), and `Content-Length`, when sent, must be a byte count that agrees.
 * Undefined when the length is not announced. Releases the body when it throws.
 */
async function wholeLength(response: HttpResponse, from: number, context: ErrorContext): Promise<number | undefined> {
  const sent = response.headers.get("content-length");
  const length = byteCount(sent);
  if (sent !== null && length === undefined) return refuse(response, missingHeader("Content-Length", context));
  if (from === 0 && response.status !== 206) return length;
  const range = parseContentRange(response.headers.get("content-range"));
  let error: FusioError | undefined;
  if (response.status !== 206) error = notRanged(response.status, context);
  else if (range === undefined) error = missingHeader("Content-Range", context);
  else if (!agrees(response, range)) error = badAnswer("the Content-Length disagrees with the Content-Range", context);
  else if (range.start !== from || range.total !== range.end + 1) {
    error = badAnswer(
      `the server answered bytes ${range.start}-${range.end}/${range.total ?? "*"}, not from ${from} to the end`,
      context,
    );
  }
  if (error === undefined && range !== undefined) return range.end - range.start + 1;
  return refuse(response, error ?? missingHeader("Content-Range", context));
}

/** A whole (or, `from` > 0, tail) GET whose body must match its announced length. */
export function readAll(
  client: BlobClient,
  request: BlobRequest,
  context: CallContext,
  from = 0,
): Promise<{ data: Uint8Array; etag: string | null }> {
  const errorContext: ErrorContext = { op: context.op, path: context.path, backend: "azure" };
  return client.send(request, context, async (response) => {
    const length = await wholeLength(response, from, errorContext);
    let data: Uint8Array;
    try {
      data = await collectBody(response.body, length);
    } catch (error) {
      // The announced length is more than one array can hold.
      if (!(error instanceof RangeError)) throw error;
      return refuse(
        response,
        badAnswer(`the server announced ${length} bytes, more than can be read at once`, errorContext, error),
      );
    }
    if (length !== undefined && data.length !== length) throw shortBody(data.length, length, context);
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
