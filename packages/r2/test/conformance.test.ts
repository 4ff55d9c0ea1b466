import { describeFs } from "@fusio/conformance";
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { startMiniflare } from "@fusio-internal/test-support/miniflare";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES, OVERRIDES, PART_SIZE } from "./__fixtures__/settings.ts";

// The binding as Miniflare hands it to Node: the same R2 simulator a worker sees, driven
// through Miniflare's proxy.
let miniflare: Miniflare | undefined;
let bucket: R2BucketLike;

beforeAll(async () => {
  ({ miniflare, bucket } = await startMiniflare<R2BucketLike>());
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
