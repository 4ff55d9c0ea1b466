// Bodies read as text up to a ceiling, so that a server cannot make a listing or an error cost
// more memory than any real answer. (A shared bounded reader belongs in @fusio/http; until it
// has one, Azure keeps its own.)
import { concatBytes } from "@fusio/http/body";

/**
 * The body as UTF-8 text, or undefined when it is longer than `limit` bytes: the rest is not
 * read (the connection is dropped instead).
 */
export async function boundedText(body: AsyncIterable<Uint8Array>, limit: number): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > limit) return undefined;
    chunks.push(chunk);
  }
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : concatBytes(chunks));
}
