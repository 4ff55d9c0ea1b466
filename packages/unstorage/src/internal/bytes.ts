// unstorage stores raw values on drivers without `setItemRaw` as "base64:<data>" strings
// (its serializeRaw / deserializeRaw); both directions here keep that convention.
const BASE64_PREFIX = "base64:";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(value: string): Uint8Array {
  return encoder.encode(value);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: String.fromCharCode with a huge argument list overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A value as a driver stores it, without `setItemRaw`. */
export function serializeRaw(bytes: Uint8Array): string {
  return BASE64_PREFIX + toBase64(bytes);
}

/**
 * The bytes of whatever a driver's `getItemRaw` / `getItem` returned: binary as it is, strings
 * as UTF-8 (or decoded when they carry unstorage's base64 prefix), other values as JSON.
 * `null`/`undefined` (missing) give `undefined`.
 */
export function toBytes(value: unknown): Uint8Array | undefined {
  if (value === null || value === undefined) return undefined;
  // A plain view: a Node Buffer's `slice` would share memory instead of copying.
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "string") {
    return value.startsWith(BASE64_PREFIX) ? fromBase64(value.slice(BASE64_PREFIX.length)) : utf8(value);
  }
  return utf8(typeof value === "object" ? JSON.stringify(value) : String(value));
}

/**
 * The bytes of a value given to `setItemRaw`: binary as it is, a string as UTF-8 (never decoded).
 * @returns `undefined` for anything else.
 */
export function rawBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return utf8(value);
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toBytes(value);
  return undefined;
}
