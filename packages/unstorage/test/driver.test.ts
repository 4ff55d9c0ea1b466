import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { fusioDriver } from "@fusio/unstorage";
import { withoutReadFile } from "@fusio-internal/test-support/without-read-file";
import type { Driver } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import memoryDriver from "unstorage/drivers/memory";
import { describeDriver } from "./driver-suite.ts";

describeDriver("fusioDriver(MemoryFs)", { create: () => fusioDriver(new MemoryFs()), nativeMeta: true });
describeDriver("fusioDriver(MemoryFs, { base })", {
  create: () => fusioDriver(new MemoryFs(), { base: "nested/base" }),
  nativeMeta: true,
});
// Reads through a handle, as on backends without `Fs.readFile`.
describeDriver("fusioDriver(MemoryFs without readFile)", {
  create: () => fusioDriver(withoutReadFile(new MemoryFs())),
  nativeMeta: true,
});

const nodeRoots = new WeakMap<Driver, string>();
describeDriver("fusioDriver(NodeFs)", {
  async create() {
    const root = await mkdtemp(join(tmpdir(), "fusio-unstorage-node-"));
    const driver = fusioDriver(new NodeFs({ root }));
    nodeRoots.set(driver, root);
    return driver;
  },
  async destroy(driver) {
    const root = nodeRoots.get(driver);
    if (root) await rm(root, { recursive: true, force: true });
  },
  nativeMeta: true,
});

// The suite on unstorage's own drivers: what it asserts is what unstorage does.
describeDriver("unstorage memory driver (reference)", { create: () => memoryDriver(), nativeMeta: false });
const roots = new WeakMap<Driver, string>();
describeDriver("unstorage fs driver (reference)", {
  async create() {
    const base = await mkdtemp(join(tmpdir(), "fusio-unstorage-ref-"));
    const driver = fsDriver({ base });
    roots.set(driver, base);
    return driver;
  },
  async destroy(driver) {
    await driver.dispose?.();
    const base = roots.get(driver);
    if (base) await rm(base, { recursive: true, force: true });
  },
  nativeMeta: true,
});
