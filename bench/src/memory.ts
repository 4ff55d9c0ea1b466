// MemoryFs against a plain Uint8Array copy: the cost of the interfaces and argument checks.
import { MemoryFs } from "@fusio/memory";
import type { BenchGroup } from "./harness.ts";

export async function memoryGroups(): Promise<BenchGroup[]> {
  const size = 16 * 1024 * 1024;
  const data = new Uint8Array(size).map((_, i) => i & 0xff);
  const fs = new MemoryFs();
  const writer = await fs.open("bench.bin", { create: true, truncate: true });
  await writer.writeAll(data);
  await writer.close();
  const file = await fs.open("bench.bin");
  const buf = new Uint8Array(4096);
  let seed = 1;
  const position = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (size / 4096)) * 4096;
  };
  return [
    {
      title: "4 KiB random reads from memory, 1 in flight",
      baseline: "Uint8Array.set (bare)",
      opsPerRound: 50_000,
      cases: [
        {
          name: "Uint8Array.set (bare)",
          op: async () => {
            const pos = position();
            buf.set(data.subarray(pos, pos + 4096));
          },
        },
        { name: "MemoryFs readExactAt", op: () => file.readExactAt(buf, position()) },
      ],
    },
  ];
}
