// pnpm demo: the tour on every backend that is configured here. Memory needs nothing.
import type { Fs } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { tour } from "./tour.ts";

const backends: Array<{ name: string; open: () => Promise<Fs | undefined> }> = [
  { name: "memory", open: async () => new MemoryFs() },
];

for (const backend of backends) {
  const fs = await backend.open();
  if (fs === undefined) {
    console.log(`\n== ${backend.name}: not configured, skipped`);
    continue;
  }
  console.log(`\n== ${backend.name} (${fs.kind}, ${fs.id})`);
  await tour(fs, (line) => console.log(`  ${line}`));
}
