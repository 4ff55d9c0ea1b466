// fusio's NodeFs behind fusioDriver and unstorage's own fs driver, on one directory: each reads
// what the other wrote, under the same keys.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFs } from "@fusio/conformance";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { fusioDriver, unstorageFs } from "@fusio/unstorage";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "fusio-unstorage-interop-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("fusioDriver(NodeFs) and unstorage's fs driver on one directory", () => {
  it("see the same keys, values, raw bytes and sizes", async () => {
    const fusio = createStorage({ driver: fusioDriver(new NodeFs({ root })) });
    const native = createStorage({ driver: fsDriver({ base: root }) });
    await fusio.setItem("users:ada", { id: 1 });
    await native.setItem("users:grace", { id: 2 });
    await fusio.setItemRaw("blobs:x.bin", Uint8Array.of(1, 2, 3));
    await native.setItemRaw("blobs:y.bin", Uint8Array.of(4, 5));
    for (const storage of [fusio, native]) {
      expect((await storage.getKeys()).sort()).toEqual(["blobs:x.bin", "blobs:y.bin", "users:ada", "users:grace"]);
      expect(await storage.getItem("users:ada")).toEqual({ id: 1 });
      expect(await storage.getItem("users:grace")).toEqual({ id: 2 });
      expect([...((await storage.getItemRaw("blobs:y.bin")) as Uint8Array)]).toEqual([4, 5]);
      expect((await storage.getMeta("blobs:x.bin")).size).toBe(3);
    }
    await native.removeItem("users:ada");
    expect(await fusio.hasItem("users:ada")).toBe(false);
  });
});

// Full circle: a fusio Fs served to unstorage and wrapped back still passes the fusio suite.
describeFs(
  "unstorageFs(fusioDriver(MemoryFs))",
  {
    create: () => unstorageFs(fusioDriver(new MemoryFs())),
    capabilities: { link: false, copy: true, cas: false, directories: false, visibleBeforeClose: false, sync: [] },
  },
  { describe, it, expect },
);
