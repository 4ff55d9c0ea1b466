// Apart from body.ts: backends read whole bodies with a size hint on rare paths (whole-object
// reads, block copies), so code that loads at start and imports @fusio/http/body leaves it out.
import { concatBytes } from "./body.ts";

/** Reads a whole response body into one array. `sizeHint` (e.g. Content-Length) avoids a copy. */
export async function collectBody(body: AsyncIterable<Uint8Array>, sizeHint?: number): Promise<Uint8Array> {
  if (sizeHint !== undefined && Number.isSafeInteger(sizeHint) && sizeHint >= 0) {
    const out = new Uint8Array(sizeHint);
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
