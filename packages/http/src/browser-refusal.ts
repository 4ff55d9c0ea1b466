// How FetchHttpClient reports a request the browser refused (not exported from the package).
import { type ErrorContext, FusioError } from "@fusio/core";
import { sanitizeError } from "./sanitize.ts";

/**
 * What Chromium, Firefox and Safari throw, all alike, when CORS hides a response or the network
 * fails. The page learns nothing more (by design: a page may not probe the network), so the
 * error can only name both causes. A server may leave CORS headers off its error answers (Ceph
 * RGW's 403 for a bad signature), which then looks the same.
 */
const REFUSED = /^(Failed to fetch|NetworkError when attempting to fetch resource\.|Load failed)$/;

/**
 * The `Io` error (retryable: a network failure may pass) for a browser's opaque fetch failure,
 * naming the origin asked and the page's; undefined for any other error.
 */
export function browserRefusal(error: unknown, url: string, context: ErrorContext): FusioError | undefined {
  if (!(error instanceof TypeError && REFUSED.test(error.message))) return undefined;
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  return new FusioError(
    "Io",
    `CORS or the network refused the request to ${new URL(url).origin}${page ? ` from ${page}` : ""}; the backend's README has the CORS rule`,
    { ...context, retryable: true, cause: sanitizeError(error) },
  );
}
