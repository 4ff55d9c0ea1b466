// Bounded reads of response bodies: no answer, however large, makes fusio hold more than a
// fixed amount of it (DESIGN.md, "Every body read is bounded").
import { type ErrorContext, FusioError } from "@fusio/core";
import { concatBytes } from "./body.ts";

/** Bytes of an error response read for its code and message; the rest is discarded unread. */
export const ERROR_BODY_LIMIT: number = 8 * 1024;

/**
 * The largest list page accepted, in bytes. A real one is far smaller (S3 and Azure send at most
 * 1,000 / 5,000 entries; 1,000 S3 keys of the longest allowed 1,024 bytes, XML-escaped, with their
 * fields stay under 8 MiB).
 */
export const LIST_PAGE_LIMIT: number = 16 * 1024 * 1024;

/** The largest small XML result accepted (CreateMultipartUpload, CopyObject, Complete...), in bytes. */
export const RESULT_BODY_LIMIT: number = 1024 * 1024;

/**
 * The whole body, when it has at most `limit` bytes; a longer one is released and rejects
 * `Remote` (`what` names it in the message) without being read further.
 */
export async function readBounded(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  what: string,
  context: ErrorContext,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    // Leaving the loop releases the body (its iterator's `return()`).
    if (length > limit) throw new FusioError("Remote", `${what} is over ${limit} bytes`, context);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks);
}

/** {@link readBounded} decoded as UTF-8 (invalid sequences become U+FFFD). */
export async function readBoundedText(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  what: string,
  context: ErrorContext,
): Promise<string> {
  return new TextDecoder().decode(await readBounded(body, limit, what, context));
}

/**
 * The first {@link ERROR_BODY_LIMIT} bytes of an error response as text, the rest released
 * unread; `""` when the body fails (the status still says what happened).
 */
export async function errorBodyText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      chunks.push(length + chunk.length > ERROR_BODY_LIMIT ? chunk.subarray(0, ERROR_BODY_LIMIT - length) : chunk);
      length += chunk.length;
      if (length >= ERROR_BODY_LIMIT) break;
    }
  } catch {
    return "";
  }
  return new TextDecoder().decode(concatBytes(chunks));
}
