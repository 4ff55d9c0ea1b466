// Apart from body.ts: backends read whole bodies with a size hint on rare paths (whole-object
// reads, block copies), so code that loads at start and imports @fusio/http/body leaves it out.
import { type ErrorContext, FusioError } from "@fusio/core";
import { concatBytes, readBodyInto } from "./body.ts";

/** Reads a whole response body into one array. `sizeHint` (e.g. Content-Length) avoids a copy. */
export async function collectBody(body: AsyncIterable<Uint8Array>, sizeHint?: number): Promise<Uint8Array> {
  const out = sizeHint === undefined ? undefined : allocate(sizeHint);
  if (out !== undefined) {
    let filled = 0;
    const extra: Uint8Array[] = [];
    for await (const chunk of body) {
      if (extra.length === 0 && filled + chunk.length <= out.length) {
        out.set(chunk, filled);
        filled += chunk.length;
      } else {
        extra.push(chunk);
      }
    }
    if (extra.length === 0) return filled === out.length ? out : out.subarray(0, filled);
    return concatBytes([out.subarray(0, filled), ...extra]);
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks);
}

/** A new array of `length` bytes, or undefined when it is no length or too large to allocate. */
function allocate(length: number): Uint8Array | undefined {
  if (!Number.isSafeInteger(length) || length < 0) return undefined;
  try {
    return new Uint8Array(length);
  } catch {
    // A hint is a hint: the body is collected as it comes.
    return undefined;
  }
}

/**
 * Reads a body that must have exactly `length` bytes (a checked `Content-Length` or range) into
 * one new array. A length this runtime cannot allocate (a server claiming a terabyte) rejects
 * `Remote` before anything is read; a body that ends early or runs long rejects `Io`
 * (retryable: the transfer broke, or the server sent more than it announced).
 */
export async function collectExactly(
  body: AsyncIterable<Uint8Array>,
  length: number,
  context: ErrorContext,
): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = new Uint8Array(length);
  } catch (error) {
    throw new FusioError("Remote", `the server announced ${length} bytes, more than one array can hold here`, {
      ...context,
      cause: error,
    });
  }
  const filled = await readBodyInto(body, out, context);
  if (filled !== length) {
    throw new FusioError("Io", `the body ended after ${filled} of ${length} bytes`, { ...context, retryable: true });
  }
  return out;
}
