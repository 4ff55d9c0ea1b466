// How FetchHttpClient reports a request the browser refused (not exported from the package).
import { type ErrorContext, FusioError } from "@fusio/core";
import { sanitizeError } from "./sanitize.ts";

/**
 * What browsers throw, all alike, when CORS blocks a response or the network fails: Chromium,
 * Firefox, Safari. Nothing else is known to the page (by design: a page may not probe the
 * network), so the message can only name both causes.
 */
const REFUSALS = new Set(["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed"]);

/**
 * The `Io` error (retryable: a network failure may pass) for a browser's opaque fetch failure,
 * naming the origin asked and the page's origin; undefined for any other error.
 */
export function browserRefusal(error: unknown, url: string, context: ErrorContext): FusioError | undefined {
  if (!(error instanceof TypeError) || !REFUSALS.has(error.message)) return undefined;
  const target = new URL(url).origin;
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  const from = page === undefined ? "" : ` from ${page}`;
  return new FusioError(
    "Io",
    `the browser refused the request to ${target}${from} (${error.message}): CORS or the network; either the ` +
      "server's CORS rule does not allow this origin, method or a request header (an error answered without CORS " +
      "headers looks the same: e.g. a bad signature), or the server is unreachable; the browser does not say which. " +
      "The backend's README gives the CORS rule",
    { ...context, retryable: true, cause: sanitizeError(error) },
  );
}
