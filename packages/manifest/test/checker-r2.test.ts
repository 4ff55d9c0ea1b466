// The serializability checker (bank.ts) on the R2 binding, as Miniflare hands it to Node: the
// same R2 simulator a worker sees, driven through Miniflare's proxy (slow per call, so fewer
// transactions than on S3 and Azure).
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { startMiniflare } from "@fusio-internal/test-support/miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBank, uniquePrefix } from "./bank.ts";

const WRITERS = 4;
const PER_WRITER = 5;

describe("serializability checker on the R2 binding (Miniflare)", () => {
  let dispose: (() => Promise<void>) | undefined;
  let bucket: R2BucketLike;

  beforeAll(async () => {
    const started = await startMiniflare<R2BucketLike>();
    bucket = started.bucket;
    dispose = () => started.miniflare.dispose();
  });

  afterAll(async () => {
    await dispose?.();
  });

  it(`${WRITERS} concurrent writers with a compactor running`, { timeout: 120_000 }, async () => {
    const result = await runBank(new R2BindingFs(bucket), {
      prefix: uniquePrefix("checker"),
      writers: WRITERS,
      perWriter: PER_WRITER,
    });
    console.info(
      `checker on R2: ${result.committed} committed, ${result.conflicts} lost races retried (${WRITERS} writers x ${PER_WRITER})`,
    );
    expect(result.committed).toBe(WRITERS * PER_WRITER);
  });
});
