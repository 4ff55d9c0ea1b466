// Shared Key signing for the Blob service.
// https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key
import { FusioError } from "@fusio/core";
import { hmacBase64 } from "#hmac";

/** The REST API version fusio speaks (`x-ms-version`). */
export const API_VERSION = "2025-11-05";

// The standard headers of the string-to-sign, in order, after the verb.
const SIGNED_HEADERS = [
  "content-encoding",
  "content-language",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
];

/** A request as Shared Key sees it. Header names are lower case; query values are not encoded. */
export interface SignableRequest {
  readonly method: string;
  /** The URL path as sent (percent-encoded), e.g. `/container/dir/blob%20name`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The body length; 0 signs as an empty Content-Length (API versions from 2015-02-21). */
  readonly contentLength: number;
}

/** Decodes a base64 account key. @throws FusioError `InvalidArgument` when it is not base64. */
export function decodeAccountKey(accountKey: string): Uint8Array {
  const trimmed = accountKey.trim();
  if (trimmed === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) {
    throw new FusioError("InvalidArgument", "the account key is not base64", { op: "credential", backend: "azure" });
  }
  return Uint8Array.from(atob(trimmed), (char) => char.charCodeAt(0));
}

/** The Shared Key string-to-sign of `request` for `account` (exported for known-answer tests). */
export function sharedKeyStringToSign(account: string, request: SignableRequest): string {
  const { headers, query = {} } = request;
  let text = request.method.toUpperCase();
  for (const name of SIGNED_HEADERS) {
    text += `\n${name === "content-length" ? (request.contentLength > 0 ? request.contentLength : "") : (headers[name] ?? "")}`;
  }
  for (const name of Object.keys(headers).sort()) {
    if (name.startsWith("x-ms-")) text += `\n${name}:${(headers[name] as string).replace(/\s+/g, " ").trim()}`;
  }
  text += `\n/${account}${request.path}`;
  for (const name of Object.keys(query).sort()) text += `\n${name.toLowerCase()}:${query[name]}`;
  return text;
}

/** The `Authorization` header value for `request`: `SharedKey account:signature`. */
export function signSharedKey(account: string, key: Uint8Array, request: SignableRequest): string | Promise<string> {
  const signature = hmacBase64(key, sharedKeyStringToSign(account, request));
  return typeof signature === "string"
    ? `SharedKey ${account}:${signature}`
    : signature.then((value) => `SharedKey ${account}:${value}`);
}
