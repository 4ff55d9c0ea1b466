// pnpm demo: the tour on every backend that is configured here. Memory and local disk (a
// temporary directory) need nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fs } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { tour } from "./tour.ts";

const cleanups: Array<() => Promise<void>> = [];

const backends: Array<{ name: string; open: () => Promise<Fs | undefined> }> = [
  { name: "memory", open: async () => new MemoryFs() },
  {
    name: "local disk",
    open: async () => {
      const root = await mkdtemp(join(tmpdir(), "fusio-demo-"));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      return new NodeFs({ root });
    },
  },
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

for (const cleanup of cleanups) await cleanup();
