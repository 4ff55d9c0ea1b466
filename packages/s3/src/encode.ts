const RFC3986_EXTRA = /[!'()*]/g;

/** A key made only of what {@link encodeKey} leaves as it is. */
const UNRESERVED_PATH = /^[A-Za-z0-9\-_.~/]*$/;

function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(
    RFC3986_EXTRA,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Encodes an object key for the URL path and the SigV4 canonical URI — one function for both,
 * so what is signed is what is sent: UTF-8 percent-encoding of every byte except the unreserved
 * set `A-Z a-z 0-9 - _ . ~` and `/`.
 */
export function encodeKey(key: string): string {
  // Most keys need no escape at all.
  if (UNRESERVED_PATH.test(key)) return key;
  return encodeComponent(key).replace(/%2F/g, "/");
}

/**
 * Encodes query parameters the way SigV4 canonicalises them (each name and value encoded,
 * sorted by name then value, `name=value` joined by `&`); the result is both the URL's query
 * and the canonical query string. A parameter without value is written `name=`.
 */
export function encodeQuery(parameters: Readonly<Record<string, string | undefined>>): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) pairs.push([encodeComponent(name), encodeComponent(value)]);
  }
  pairs.sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}
