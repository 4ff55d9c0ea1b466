// Inside Bun: BunFs against the fastest bare Bun API for 4 KiB random reads (node:fs callback
// `fs.read` on the descriptor), whole-file reads (a synchronous fstat, then `fs.read`) and 4 KiB
// appends (a `Bun.file(fd).writer()` FileSink), with the slower alternatives alongside to show
// why those are the baselines.
import fs from "node:fs";
import { open } from "node:fs/promises";
import { BunFs, BunHttpClient } from "@fusio/bun";
import { diskFixture, truncateEvery } from "./disk-fixture.ts";
import { readCallback, readToEndCallback, readToEndSyncStat, writeCallback } from "./fs-callbacks.ts";
import type { BenchGroup } from "./harness.ts";
import { fetchGroups, httpFixture } from "./http-fixture.ts";

interface FileSink {
  write(data: Uint8Array): number | Promise<number>;
}
interface BunApi {
  file(target: string | number): {
    slice(start: number, end?: number): { bytes(): Promise<Uint8Array> };
    writer(): FileSink;
  };
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

export async function bunGroups(): Promise<BenchGroup[]> {
  const disk = diskFixture();
  const bunFs = new BunFs({ root: disk.dir });
  const fd = fs.openSync(disk.readPath, "r");
  const handle = await open(disk.readPath, "r");
  const blob = Bun.file(disk.readPath);
  const file = await bunFs.open("read.bin");
  const buf = new Uint8Array(4096);
  const bufs = Array.from({ length: 16 }, () => new Uint8Array(4096));
  let nextBuf = 0;
  const anyBuf = () => bufs[nextBuf++ & 15] as Uint8Array;

  const wholePath = disk.appendPath("whole");
  fs.writeFileSync(wholePath, new Uint8Array(1024 * 1024).fill(5));
  const wholeFd = fs.openSync(wholePath, "r");
  const sliceFd = fs.openSync(wholePath, "r");
  const whole = await bunFs.open("append-whole.bin");

  const http = await httpFixture();
  const client = new BunHttpClient();

  const data = new Uint8Array(4096).fill(7);
  const { O_WRONLY, O_APPEND } = fs.constants;
  const sinkFd = fs.openSync(disk.appendPath("sink"), O_WRONLY | O_APPEND);
  const sink = Bun.file(sinkFd).writer();
  const sinkTruncate = truncateEvery(sinkFd);
  const writeFd = fs.openSync(disk.appendPath("write"), O_WRONLY | O_APPEND);
  const writeTruncate = truncateEvery(writeFd);
  const fusioPath = disk.appendPath("bunfs");
  const fusioWriter = await bunFs.open("append-bunfs.bin", { write: true });
  // BunFs keeps its descriptor private: truncate through another one (O_APPEND follows).
  const fusioTruncate = truncateEvery(fs.openSync(fusioPath, "r+"));

  return [
    {
      title: "4 KiB random readExactAt, 1 in flight",
      baseline: "fs.read callback (bare)",
      defaultCase: "BunFs readExactAt",
      opsPerRound: 20_000,
      rounds: 9,
      cases: [
        { name: "fs.read callback (bare)", op: () => readCallback(fd, buf, disk.position()) },
        { name: "BunFs readExactAt", op: () => file.readExactAt(buf, disk.position()) },
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
      title: "4 KiB random readExactAt, 16 in flight",
      baseline: "fs.read callback (bare)",
      defaultCase: "BunFs readExactAt",
      opsPerRound: 20_000,
      rounds: 9,
      cases: [
        { name: "fs.read callback (bare)", concurrency: 16, op: () => readCallback(fd, anyBuf(), disk.position()) },
        { name: "BunFs readExactAt", concurrency: 16, op: () => file.readExactAt(anyBuf(), disk.position()) },
        { name: "FileHandle.read", concurrency: 16, op: () => handle.read(anyBuf(), 0, 4096, disk.position()) },
      ],
    },
    {
      title: "1 MiB readToEndAt",
      baseline: "fstatSync + fs.read callback (bare)",
      defaultCase: "BunFs readToEndAt",
      opsPerRound: 200,
      rounds: 9,
      cases: [
        { name: "fstatSync + fs.read callback (bare)", op: () => readToEndSyncStat(wholeFd, 0) },
        { name: "BunFs readToEndAt", op: () => whole.readToEndAt(0) },
        { name: "fstat + fs.read callback", op: () => readToEndCallback(wholeFd, 0) },
        // For reference only, as neither can serve a handle. Bun.file(fd).slice(pos) seeks the
        // descriptor's shared offset and then reads (concurrent reads mix up; slice(0) does not
        // seek and reads from wherever the offset is): here from 1, on a descriptor of its own.
        { name: "Bun.file(fd).slice(1).bytes() (shared offset)", op: () => Bun.file(sliceFd).slice(1).bytes() },
        // A handle must keep reading the file it opened, also after a rename replaced the name
        // (CAS does that) or an unlink: a path-based read cannot serve it.
        { name: "Bun.file(path).slice().bytes() (by path)", op: () => Bun.file(wholePath).slice(0).bytes() },
      ],
    },
    {
      title: "4 KiB sequential writeAll (appends)",
      rounds: 41,
      baseline: "FileSink.write (bare)",
      defaultCase: "BunFs writeAll",
      opsPerRound: 4000,
      cases: [
        {
          name: "FileSink.write (bare)",
          op: async () => {
            await sink.write(data);
            sinkTruncate();
          },
        },
        {
          name: "BunFs writeAll",
          op: async () => {
            await fusioWriter.writeAll(data);
            fusioTruncate();
          },
        },
        {
          name: "fs.write callback",
          op: async () => {
            await writeCallback(writeFd, data);
            writeTruncate();
          },
        },
      ],
    },
    ...fetchGroups(http.url, "BunHttpClient", client),
  ];
}
