// Inside Deno: DenoFs against the fastest bare Deno API for 4 KiB random reads and appends
// (node:fs callback `fs.read` / `fs.write` on the descriptor), with Deno.FsFile alongside to
// show why that is not the baseline.
import fs from "node:fs";
import { DenoFs, DenoHttpClient } from "@fusio/deno";
import { diskFixture, truncateEvery } from "./disk-fixture.ts";
import { readCallback, readToEndCallback, readToEndSyncStat, writeCallback } from "./fs-callbacks.ts";
import type { BenchGroup } from "./harness.ts";
import { fetchGroups, httpFixture } from "./http-fixture.ts";

interface FsFile {
  seek(offset: number, whence: number): Promise<number>;
  read(buf: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  truncate(length?: number): Promise<void>;
}
interface DenoApi {
  open(path: string, options: { read?: boolean; append?: boolean }): Promise<FsFile>;
  readFile(path: string): Promise<Uint8Array>;
  SeekMode: { Start: number };
}
const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

export async function denoGroups(): Promise<BenchGroup[]> {
  const disk = diskFixture();
  const denoFs = new DenoFs({ root: disk.dir });
  const fd = fs.openSync(disk.readPath, "r");
  const fsFile = await Deno.open(disk.readPath, { read: true });
  const file = await denoFs.open("read.bin");
  const buf = new Uint8Array(4096);
  const bufs = Array.from({ length: 16 }, () => new Uint8Array(4096));
  let nextBuf = 0;
  const anyBuf = () => bufs[nextBuf++ & 15] as Uint8Array;

  const wholePath = disk.appendPath("whole");
  fs.writeFileSync(wholePath, new Uint8Array(1024 * 1024).fill(5));
  const wholeFd = fs.openSync(wholePath, "r");
  const whole = await denoFs.open("append-whole.bin");

  const http = await httpFixture();
  const client = new DenoHttpClient();

  const data = new Uint8Array(4096).fill(7);
  const writeFd = fs.openSync(disk.appendPath("write"), fs.constants.O_WRONLY | fs.constants.O_APPEND);
  const writeTruncate = truncateEvery(writeFd);
  const fusioPath = disk.appendPath("denofs");
  const fusioWriter = await denoFs.open("append-denofs.bin", { write: true });
  // DenoFs keeps its descriptor private: truncate through another one (O_APPEND follows).
  const fusioTruncate = truncateEvery(fs.openSync(fusioPath, "r+"));
  const denoFile = await Deno.open(disk.appendPath("fsfile"), { append: true });
  let denoCount = 0;

  return [
    {
      title: "4 KiB random readExactAt, 1 in flight",
      baseline: "fs.read callback (bare)",
      defaultCase: "DenoFs readExactAt",
      opsPerRound: 20_000,
      rounds: 9,
      cases: [
        { name: "fs.read callback (bare)", op: () => readCallback(fd, buf, disk.position()) },
        { name: "DenoFs readExactAt", op: () => file.readExactAt(buf, disk.position()) },
        {
          name: "Deno.FsFile seek + read",
          op: async () => {
            await fsFile.seek(disk.position(), Deno.SeekMode.Start);
            let done = 0;
            while (done < buf.length) {
              const read = await fsFile.read(buf.subarray(done));
              if (read === null) throw new Error("unexpected end of file");
              done += read;
            }
          },
        },
      ],
    },
    {
      title: "4 KiB random readExactAt, 16 in flight",
      baseline: "fs.read callback (bare)",
      defaultCase: "DenoFs readExactAt",
      opsPerRound: 20_000,
      rounds: 9,
      cases: [
        { name: "fs.read callback (bare)", concurrency: 16, op: () => readCallback(fd, anyBuf(), disk.position()) },
        { name: "DenoFs readExactAt", concurrency: 16, op: () => file.readExactAt(anyBuf(), disk.position()) },
      ],
    },
    {
      title: "1 MiB readToEndAt",
      baseline: "fstatSync + fs.read callback (bare)",
      defaultCase: "DenoFs readToEndAt",
      opsPerRound: 200,
      rounds: 9,
      cases: [
        { name: "fstatSync + fs.read callback (bare)", op: () => readToEndSyncStat(wholeFd, 0) },
        { name: "DenoFs readToEndAt", op: () => whole.readToEndAt(0) },
        { name: "fstat + fs.read callback", op: () => readToEndCallback(wholeFd, 0) },
        // For reference only: a handle must keep reading the file it opened, even after a rename
        // replaced the name (CAS does that), so a path-based read cannot serve it.
        { name: "Deno.readFile (by path)", op: () => Deno.readFile(wholePath) },
      ],
    },
    {
      title: "4 KiB sequential writeAll (appends)",
      rounds: 41,
      baseline: "fs.write callback (bare)",
      defaultCase: "DenoFs writeAll",
      opsPerRound: 4000,
      cases: [
        {
          name: "fs.write callback (bare)",
          op: async () => {
            await writeCallback(writeFd, data);
            writeTruncate();
          },
        },
        {
          name: "DenoFs writeAll",
          op: async () => {
            await fusioWriter.writeAll(data);
            fusioTruncate();
          },
        },
        {
          name: "Deno.FsFile.write",
          op: async () => {
            await denoFile.write(data);
            if (++denoCount % 2048 === 0) await denoFile.truncate(0);
          },
        },
      ],
    },
    ...fetchGroups(http.url, "DenoHttpClient", client),
  ];
}
