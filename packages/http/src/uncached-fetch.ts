// How FetchHttpClient keeps the HTTP cache out of its requests (not exported from the package).

/** The fetch functions that threw on `cache` once: they are called without it from then on. */
const refusesCacheMode = new WeakSet<typeof globalThis.fetch>();

/**
 * Calls `fetch` with `cache: "no-store"` unless `init` names a cache mode. A browser's HTTP
 * cache would otherwise answer a GET or HEAD with old bytes after an overwrite (fresh by the
 * Last-Modified heuristic), and on revalidation add `If-None-Match` / `If-Modified-Since` after
 * the request was signed (Azure's Shared Key check then fails with 403). Node, Bun and Deno
 * accept the option; workerd before compatibility date 2025-06-01 throws a TypeError on it, so
 * a fetch that does is remembered and called without it (it has no HTTP cache to bypass).
 */
export async function fetchUncached(
  fetch: typeof globalThis.fetch,
  url: string,
  init: RequestInit & { duplex?: "half" },
): Promise<Response> {
  if (init.cache !== undefined || refusesCacheMode.has(fetch)) return fetch(url, init);
  try {
    return await fetch(url, { ...init, cache: "no-store" });
  } catch (error) {
    if (!(error instanceof TypeError && /\bcache\b/i.test(error.message))) throw error;
    // A streamed body that the refused attempt already took cannot be sent again.
    if (init.body instanceof ReadableStream && init.body.locked) throw error;
    refusesCacheMode.add(fetch);
    return fetch(url, init);
  }
}
