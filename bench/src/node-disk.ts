// NodeFs against the fastest bare Node API for small local I/O (the callback fs.read / fs.write
// on the descriptor, see shared/reference/disk-notes.md) and against FileHandle, interleaved.
import fs from "node:fs";
import { open as openHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeFs } from "@fusio/node";
import type { BenchCase, BenchGroup } from "./harness.ts";

const KiB = 4096;
const FILE_SIZE = 64 * 1024 * 1024;
const BLOCKS = FILE_SIZE / KiB;

function openFd(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => fs.open(path, flags, (error, fd) => (error ? reject(error) : resolve(fd))));
}

export async function nodeDiskGroups(): Promise<BenchGroup[]> {
  const dir = fs.mkdtempSync(join(tmpdir(), "fusio-bench-disk-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  // A 64 MiB file of pseudo-random bytes, written once (page-cached afterwards).
  const source = join(dir, "read.bin");
  const chunk = new Uint8Array(16 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
  const out = fs.openSync(source, "w");
  for (let written = 0; written < FILE_SIZE; written += chunk.length) fs.writeSync(out, chunk);
  fs.closeSync(out);

  const nodeFs = new NodeFs({ root: dir });
  const file = await nodeFs.open("read.bin");
  const fd = await openFd(source, "r");
  const handle = await openHandle(source, "r");

  let seed = 1;
  const position = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % BLOCKS) * KiB;
  };
  // One buffer per operation in flight (16 at most).
  const buffers = Array.from({ length: 16 }, () => new Uint8Array(KiB));
  let next = 0;
  const buffer = (): Uint8Array => buffers[next++ & 15] as Uint8Array;

  const readCases = (concurrency: number): BenchCase[] => [
    {
      name: "fs.read callback (bare)",
      concurrency,
      unitsPerOp: KiB,
      op: () =>
        new Promise<number>((resolve, reject) =>
          fs.read(fd, buffer(), 0, KiB, position(), (error, read) => (error ? reject(error) : resolve(read))),
        ),
    },
    { name: "NodeFs readExactAt", concurrency, unitsPerOp: KiB, op: () => file.readExactAt(buffer(), position()) },
    {
      name: "FileHandle.read",
      concurrency,
      unitsPerOp: KiB,
      op: () => handle.read(buffer(), 0, KiB, position()),
    },
  ];

  // Appends: each case to its own file opened for append.
  const data = new Uint8Array(KiB).fill(0x61);
  const bareFd = await openFd(join(dir, "bare.log"), "a");
  const writer = await nodeFs.open("fusio.log", { create: true, truncate: true });
  const writeHandle = await openHandle(join(dir, "handle.log"), "a");

  return [
    {
      title: "4 KiB random readExactAt over a 64 MiB file, 1 in flight (Node)",
      baseline: "fs.read callback (bare)",
      defaultCase: "NodeFs readExactAt",
      unit: "MB/s",
      opsPerRound: 4_000,
      rounds: 21,
      cases: readCases(1),
    },
    {
      title: "4 KiB random readExactAt over a 64 MiB file, 16 in flight (Node)",
      baseline: "fs.read callback (bare)",
      defaultCase: "NodeFs readExactAt",
      unit: "MB/s",
      opsPerRound: 8_000,
      rounds: 21,
      cases: readCases(16),
    },
    {
      title: "4 KiB sequential writeAll (append, no sync) (Node)",
      baseline: "fs.write callback (bare)",
      defaultCase: "NodeFs writeAll",
      unit: "MB/s",
      opsPerRound: 2_000,
      rounds: 21,
      cases: [
        {
          name: "fs.write callback (bare)",
          unitsPerOp: KiB,
          op: () =>
            new Promise<number>((resolve, reject) =>
              fs.write(bareFd, data, 0, KiB, null, (error, written) => (error ? reject(error) : resolve(written))),
            ),
        },
        { name: "NodeFs writeAll", unitsPerOp: KiB, op: () => writer.writeAll(data) },
        { name: "FileHandle.write", unitsPerOp: KiB, op: () => writeHandle.write(data, 0, KiB, null) },
      ],
    },
  ];
}
