// Bodies read as text with a ceiling, so that a server cannot make a listing or an error cost
// more memory than any real answer. (A shared bounded reader belongs in @fusio/http; until it
// has one, Azure keeps its own.)
import { concatBytes } from "@fusio/http/body";

/**
 * The body as UTF-8 text, at most `limit` bytes of it; `complete` is false when the body was
 * longer (the rest is not read: the connection is dropped instead).
 */
export async function boundedText(
  body: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<{ text: string; complete: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const iterator = body[Symbol.asyncIterator]();
  let complete = true;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const room = limit - length;
    if (next.value.length > room) {
      chunks.push(next.value.subarray(0, room));
      complete = false;
      try {
        await iterator.return?.();
      } catch {
        // The connection is being dropped anyway.
      }
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  return { text: new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concatBytes(chunks)), complete };
}
