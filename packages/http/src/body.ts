import { type ErrorContext, FusioError } from "@fusio/core";

/** Reads a whole response body as UTF-8 text. */
export async function bodyText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concatBytes(chunks));
}

/**
 * Streams a body into `target` without an intermediate copy and resolves to the number of
 * bytes written. A body longer than `target` rejects `Io` (retryable: the server sent more
 * than it announced) after releasing the connection.
 */
export async function readBodyInto(
  body: AsyncIterable<Uint8Array>,
  target: Uint8Array,
  context: ErrorContext,
): Promise<number> {
  let filled = 0;
  for await (const chunk of body) {
    if (filled + chunk.length > target.length) {
      throw new FusioError("Io", `the response body is longer than the ${target.length} bytes expected`, {
        ...context,
        retryable: true,
      });
    }
    target.set(chunk, filled);
    filled += chunk.length;
  }
  return filled;
}

/** Releases a body the caller does not need (stops iterating, which frees the connection). */
export async function discardBody(body: AsyncIterable<Uint8Array>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  try {
    await iterator.return?.();
  } catch {
    // The connection is being dropped anyway.
  }
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
