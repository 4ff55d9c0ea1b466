// How FetchHttpClient keeps the HTTP cache out of its reads (not exported from the package).

/** The fetch functions that threw on `cache` once: they are called without it from then on. */
const refusesCacheMode = new WeakSet<typeof globalThis.fetch>();

/**
 * Calls `fetch`, for a GET or HEAD with `cache: "no-store"` unless `init` names a cache mode. A
 * browser's HTTP cache would otherwise answer a read with old bytes after an overwrite (fresh by
 * the Last-Modified heuristic), and on revalidation add `If-None-Match` / `If-Modified-Since`
 * after the request was signed (Azure's Shared Key check then fails with 403). Writes go without
 * it: the cache never answers them, and fetch adds `Cache-Control: no-cache` to a no-store
 * request, which S3 would store as the object's `Cache-Control`. Node, Bun and Deno accept the
 * option; workerd before compatibility date 2025-06-01 throws a TypeError on it, so a fetch that
 * does is remembered and called without it (it has no HTTP cache to bypass).
 */
export async function fetchUncached(fetch: typeof globalThis.fetch, url: string, init: RequestInit): Promise<Response> {
  const read = init.method === "GET" || init.method === "HEAD";
  if (!read || init.cache !== undefined || refusesCacheMode.has(fetch)) return fetch(url, init);
  try {
    return await fetch(url, { ...init, cache: "no-store" });
  } catch (error) {
    if (!(error instanceof TypeError && error.message.includes("cache"))) throw error;
    refusesCacheMode.add(fetch);
    return fetch(url, init);
  }
}
