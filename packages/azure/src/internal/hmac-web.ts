// The portable signer: WebCrypto HMAC-SHA256 (browsers, Workers, Deno, Bun). The imported key is
// cached per key so each signature costs one `sign` call.
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/** HMAC-SHA256 of the UTF-8 `message` under `key`, base64-encoded. */
export async function hmacBase64(key: Uint8Array, message: string): Promise<string> {
  let cryptoKey = keys.get(key);
  if (cryptoKey === undefined) {
    cryptoKey = crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(key, cryptoKey);
  }
  const signature = new Uint8Array(
    await crypto.subtle.sign("HMAC", await cryptoKey, new TextEncoder().encode(message)),
  );
  let binary = "";
  for (let i = 0; i < signature.length; i++) binary += String.fromCharCode(signature[i] as number);
  return btoa(binary);
}
