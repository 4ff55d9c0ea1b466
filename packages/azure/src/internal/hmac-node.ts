// The Node signer: synchronous HMAC-SHA256 on node:crypto (a few µs per request, no awaits).
// Chosen by the `node` condition of the `#hmac` import, so browser and Workers bundles never
// see node:crypto; both signers give identical signatures.
import { createHmac } from "node:crypto";

/** HMAC-SHA256 of the UTF-8 `message` under `key`, base64-encoded. */
export function hmacBase64(key: Uint8Array, message: string): string | Promise<string> {
  return createHmac("sha256", key).update(message, "utf8").digest("base64");
}
