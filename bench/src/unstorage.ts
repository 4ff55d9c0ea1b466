// unstorage on fusio (fusioDriver over NodeFs) against unstorage's own fs driver, same directory
// layout, small values. The getItem group also runs fusio without its root jail
// (followSymlinksOutsideRoot), which shows what the jail's symlink check costs a small read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeFs } from "@fusio/node";
import { fusioDriver } from "@fusio/unstorage";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import type { BenchGroup } from "./harness.ts";

export async function unstorageGroups(): Promise<BenchGroup[]> {
  const value = "x".repeat(1024);
  const keys = Array.from({ length: 256 }, (_, i) => `bench:k${i}`);
  const roots = [
    mkdtempSync(join(tmpdir(), "fusio-bench-unstorage-fs-")),
    mkdtempSync(join(tmpdir(), "fusio-bench-unstorage-fusio-")),
    mkdtempSync(join(tmpdir(), "fusio-bench-unstorage-unjailed-")),
  ] as const;
  process.on("exit", () => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  const storages = {
    fs: createStorage({ driver: fsDriver({ base: roots[0] }) }),
    fusio: createStorage({ driver: fusioDriver(new NodeFs({ root: roots[1] })) }),
    unjailed: createStorage({
      driver: fusioDriver(new NodeFs({ root: roots[2], followSymlinksOutsideRoot: true })),
    }),
  };
  for (const storage of Object.values(storages)) for (const key of keys) await storage.setItem(key, value);
  let i = 0;
  const key = () => keys[i++ % keys.length] as string;
  return [
    {
      title: "unstorage getItem, 1 KiB values, local disk",
      baseline: "unstorage fs driver",
      defaultCase: "fusioDriver(NodeFs)",
      opsPerRound: 2000,
      cases: [
        { name: "unstorage fs driver", op: () => storages.fs.getItem(key()) },
        { name: "fusioDriver(NodeFs)", op: () => storages.fusio.getItem(key()) },
        {
          name: "fusioDriver(NodeFs), followSymlinksOutsideRoot",
          op: () => storages.unjailed.getItem(key()),
        },
      ],
    },
    {
      title: "unstorage setItem, 1 KiB values, local disk",
      baseline: "unstorage fs driver",
      defaultCase: "fusioDriver(NodeFs)",
      opsPerRound: 1000,
      cases: [
        { name: "unstorage fs driver", op: () => storages.fs.setItem(key(), value) },
        { name: "fusioDriver(NodeFs)", op: () => storages.fusio.setItem(key(), value) },
      ],
    },
  ];
}
