// Miniflare (workerd from npm, in memory) with one R2 bucket, for the R2 binding tests and the
// benchmark. Miniflare picks its own free loopback port.
import { Miniflare } from "miniflare";

/** A worker that answers 404 to everything: enough when only the bucket binding is used. */
const NOT_FOUND_WORKER = "export default { fetch() { return new Response(null, { status: 404 }); } };";

/**
 * Starts Miniflare running `script` (an ES module worker; default: one that answers 404) with an
 * in-memory R2 bucket bound as `BUCKET`, and hands out that binding as Node sees it.
 *
 * @typeParam Bucket - the binding's type as the caller names it, `R2BucketLike` from @fusio/r2
 *   (this package cannot import it: @fusio/r2's tests depend on this package).
 */
export async function startMiniflare<Bucket>(script?: string): Promise<{ miniflare: Miniflare; bucket: Bucket }> {
  const miniflare = new Miniflare({
    modules: true,
    script: script ?? NOT_FOUND_WORKER,
    r2Buckets: ["BUCKET"],
    r2Persist: false,
    compatibilityDate: "2025-01-01",
  });
  const bucket = (await miniflare.getR2Bucket("BUCKET")) as unknown as Bucket;
  return { miniflare, bucket };
}
