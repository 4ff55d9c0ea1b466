// Inside Bun: 4 KiB random reads and 4 KiB appends on Bun's bare APIs, the fastest of which is
// the baseline (reads: node:fs callback `fs.read`; appends: a `Bun.file(fd).writer()` FileSink).
import fs from "node:fs";
import { open } from "node:fs/promises";
import { diskFixture, truncateEvery } from "./disk-fixture.ts";
import type { BenchGroup } from "./harness.ts";

interface FileSink {
  write(data: Uint8Array): number | Promise<number>;
  flush(): number | Promise<number>;
  end(): number | Promise<number>;
}
interface BunApi {
  file(target: string | number): {
    slice(start: number, end: number): { bytes(): Promise<Uint8Array> };
    writer(): FileSink;
  };
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

function readCallback(fd: number, buf: Uint8Array, pos: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, pos, (error, read) => (error ? reject(error) : resolve(read))),
  );
}

function writeCallback(fd: number, data: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, data, 0, data.length, null, (error, written) => (error ? reject(error) : resolve(written))),
  );
}

export async function bunGroups(): Promise<BenchGroup[]> {
  const disk = diskFixture();
  const fd = fs.openSync(disk.readPath, "r");
  const handle = await open(disk.readPath, "r");
  const blob = Bun.file(disk.readPath);
  const buf = new Uint8Array(4096);
  const bufs = Array.from({ length: 16 }, () => new Uint8Array(4096));
  let nextBuf = 0;
  const anyBuf = () => bufs[nextBuf++ & 15] as Uint8Array;

  const data = new Uint8Array(4096).fill(7);
  const { O_WRONLY, O_APPEND } = fs.constants;
  const appendFd = (name: string) => fs.openSync(disk.appendPath(name), O_WRONLY | O_APPEND);
  const sinkFd = appendFd("sink");
  const sink = Bun.file(sinkFd).writer();
  const sinkTruncate = truncateEvery(sinkFd);
  const writeFd = appendFd("write");
  const writeTruncate = truncateEvery(writeFd);
  const writeHandle = await open(disk.appendPath("handle"), "a");
  const handleTruncate = truncateEvery(writeHandle.fd);

  return [
    {
      title: "4 KiB random reads, 1 in flight",
      baseline: "fs.read callback (bare)",
      opsPerRound: 20_000,
      cases: [
        { name: "fs.read callback (bare)", op: () => readCallback(fd, buf, disk.position()) },
        { name: "FileHandle.read", op: () => handle.read(buf, 0, 4096, disk.position()) },
        {
          name: "Bun.file().slice().bytes() + copy",
          op: async () => {
            const pos = disk.position();
            buf.set(await blob.slice(pos, pos + 4096).bytes());
          },
        },
      ],
    },
    {
      title: "4 KiB random reads, 16 in flight",
      baseline: "fs.read callback (bare)",
      opsPerRound: 20_000,
      cases: [
        { name: "fs.read callback (bare)", concurrency: 16, op: () => readCallback(fd, anyBuf(), disk.position()) },
        { name: "FileHandle.read", concurrency: 16, op: () => handle.read(anyBuf(), 0, 4096, disk.position()) },
      ],
    },
    {
      title: "4 KiB sequential appends",
      baseline: "FileSink.write (bare)",
      opsPerRound: 20_000,
      cases: [
        {
          name: "FileSink.write (bare)",
          op: async () => {
            await sink.write(data);
            sinkTruncate();
          },
        },
        {
          name: "fs.write callback",
          op: async () => {
            await writeCallback(writeFd, data);
            writeTruncate();
          },
        },
        {
          name: "FileHandle.write",
          op: async () => {
            await writeHandle.write(data);
            handleTruncate();
          },
        },
      ],
    },
  ];
}
