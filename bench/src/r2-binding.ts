// R2BindingFs against the bare R2Bucket binding, on Miniflare's R2 in Node: both sides go
// through the same binding and Miniflare's Node proxy, where every property read of a result
// object is a round trip to workerd; inside a worker those reads are free.
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { startMiniflare } from "@fusio-internal/test-support/miniflare";
import type { BenchGroup } from "./harness.ts";

export async function r2BindingGroups(): Promise<BenchGroup[]> {
  const { miniflare, bucket } = await startMiniflare<R2BucketLike>();
  const fs = new R2BindingFs(bucket);
  const size = 4 * 1024 * 1024;
  await bucket.put(
    "bench.bin",
    new Uint8Array(size).map((_, i) => i & 0xff),
  );
  for (let i = 0; i < 100; i++) await bucket.put(`listed/k${String(i).padStart(3, "0")}`, new Uint8Array(16));
  const file = await fs.open("bench.bin");
  const buf = new Uint8Array(4096);
  const small = new Uint8Array(4096).fill(7);
  let seed = 1;
  const position = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (size / 4096)) * 4096;
  };
  let writes = 0;
  const teardown = async () => {
    await file.close();
  };
  return [
    {
      title: "R2 binding (Miniflare): 4 KiB random reads, 1 in flight",
      baseline: "bucket.get range (bare)",
      defaultCase: "R2BindingFile readExactAt",
      opsPerRound: 100,
      cases: [
        {
          name: "bucket.get range (bare)",
          op: async () => {
            const object = (await bucket.get("bench.bin", { range: { offset: position(), length: 4096 } })) as {
              arrayBuffer(): Promise<ArrayBuffer>;
            };
            buf.set(new Uint8Array(await object.arrayBuffer()));
          },
        },
        { name: "R2BindingFile readExactAt", op: () => file.readExactAt(buf, position()) },
      ],
      teardown,
    },
    {
      title: "R2 binding (Miniflare): 4 KiB object writes, 1 in flight",
      baseline: "bucket.put (bare)",
      defaultCase: "R2BindingFs open + writeAll + close",
      opsPerRound: 50,
      cases: [
        { name: "bucket.put (bare)", op: () => bucket.put(`w/bare-${writes++ % 50}`, small) },
        {
          name: "R2BindingFs open + writeAll + close",
          op: async () => {
            const writer = await fs.open(`w/fusio-${writes++ % 50}`, { create: true, truncate: true });
            await writer.writeAll(small);
            await writer.close();
          },
        },
      ],
    },
    {
      title: "R2 binding (Miniflare): list a directory of 100 keys",
      baseline: "bucket.list (bare)",
      defaultCase: "R2BindingFs list",
      opsPerRound: 5,
      cases: [
        {
          // The same job as fusio's: every entry's key, size, etag and time.
          name: "bucket.list (bare)",
          op: async () => {
            const page = await bucket.list({ prefix: "listed/", delimiter: "/" });
            const entries = page.objects.map((object) => [object.key, object.size, object.etag, object.uploaded]);
            return [entries, page.delimitedPrefixes];
          },
        },
        {
          name: "R2BindingFs list",
          op: async () => {
            for await (const _ of fs.list("listed")) {
              // drain
            }
          },
        },
      ],
      teardown: () => miniflare.dispose(),
    },
  ];
}
