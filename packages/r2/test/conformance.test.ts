import { describeFs } from "@fusio/conformance";
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES, OVERRIDES, PART_SIZE } from "./__fixtures__/settings.ts";

// The binding as Miniflare hands it to Node: the same R2 simulator a worker sees, driven
// through Miniflare's proxy.
let miniflare: Miniflare;
let bucket: R2BucketLike;

beforeAll(async () => {
  miniflare = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null, { status: 404 }); } };",
    r2Buckets: ["BUCKET"],
    r2Persist: false,
    compatibilityDate: "2025-01-01",
  });
  bucket = (await miniflare.getR2Bucket("BUCKET")) as unknown as R2BucketLike;
});

afterAll(async () => {
  await miniflare?.dispose();
});

describeFs(
  "R2BindingFs (Miniflare binding in Node)",
  {
    create: () => new R2BindingFs(bucket, { partSize: PART_SIZE }),
    capabilities: CAPABILITIES,
    overrides: OVERRIDES,
  },
  { describe, it, expect },
);
