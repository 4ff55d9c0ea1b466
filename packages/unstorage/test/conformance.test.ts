import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFs } from "@fusio/conformance";
import { type UnstorageFs, unstorageFs } from "@fusio/unstorage";
import fsDriver from "unstorage/drivers/fs";
import memoryDriver from "unstorage/drivers/memory";
import { describe, expect, it } from "vitest";

// What a whole-value key-value store can honestly promise: no links, no CAS, no sync, and
// writes that appear at close.
const capabilities = {
  link: false,
  copy: true,
  cas: false,
  directories: false,
  visibleBeforeClose: false,
  sync: [],
} as const;

describeFs(
  "unstorageFs(memoryDriver())",
  { create: () => unstorageFs(memoryDriver()), capabilities },
  { describe, it, expect },
);

const roots = new WeakMap<UnstorageFs, string>();
describeFs(
  "unstorageFs(fsDriver())",
  {
    async create() {
      const base = await mkdtemp(join(tmpdir(), "fusio-unstorage-"));
      const fs = unstorageFs(fsDriver({ base }));
      roots.set(fs, base);
      return fs;
    },
    async destroy(fs) {
      const base = roots.get(fs);
      if (base) await rm(base, { recursive: true, force: true });
    },
    capabilities,
  },
  { describe, it, expect },
);
