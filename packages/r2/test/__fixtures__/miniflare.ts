import type { R2BucketLike } from "@fusio/r2";
import { Miniflare } from "miniflare";

/**
 * Starts Miniflare (workerd from npm, in memory) with one R2 bucket bound as `BUCKET`, and
 * hands out the binding as Node sees it. Miniflare picks its own free loopback port.
 */
export async function startMiniflare(script?: string): Promise<{ miniflare: Miniflare; bucket: R2BucketLike }> {
  const miniflare = new Miniflare({
    modules: true,
    script: script ?? "export default { fetch() { return new Response(null, { status: 404 }); } };",
    r2Buckets: ["BUCKET"],
    r2Persist: false,
    compatibilityDate: "2025-01-01",
  });
  const bucket = (await miniflare.getR2Bucket("BUCKET")) as unknown as R2BucketLike;
  return { miniflare, bucket };
}
