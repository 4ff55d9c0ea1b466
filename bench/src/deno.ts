// Inside Deno: 4 KiB random reads and 4 KiB appends on Deno's bare APIs, the fastest of which is
// the baseline (node:fs callback `fs.read` / `fs.write` on the descriptor, ahead of Deno.FsFile).
import fs from "node:fs";
import { diskFixture, truncateEvery } from "./disk-fixture.ts";
import type { BenchGroup } from "./harness.ts";

interface FsFile {
  seek(offset: number, whence: number): Promise<number>;
  read(buf: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  truncate(length?: number): Promise<void>;
}
interface DenoApi {
  open(path: string, options: { read?: boolean; append?: boolean }): Promise<FsFile>;
  SeekMode: { Start: number };
}
const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

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

export async function denoGroups(): Promise<BenchGroup[]> {
  const disk = diskFixture();
  const fd = fs.openSync(disk.readPath, "r");
  const file = await Deno.open(disk.readPath, { read: true });
  const buf = new Uint8Array(4096);

  const data = new Uint8Array(4096).fill(7);
  const writeFd = fs.openSync(disk.appendPath("write"), fs.constants.O_WRONLY | fs.constants.O_APPEND);
  const writeTruncate = truncateEvery(writeFd);
  const denoFile = await Deno.open(disk.appendPath("fsfile"), { append: true });
  let denoCount = 0;

  return [
    {
      title: "4 KiB random reads, 1 in flight",
      baseline: "fs.read callback (bare)",
      opsPerRound: 20_000,
      cases: [
        { name: "fs.read callback (bare)", op: () => readCallback(fd, buf, disk.position()) },
        {
          name: "Deno.FsFile seek + read",
          op: async () => {
            await file.seek(disk.position(), Deno.SeekMode.Start);
            let done = 0;
            while (done < buf.length) {
              const read = await file.read(buf.subarray(done));
              if (read === null) throw new Error("unexpected end of file");
              done += read;
            }
          },
        },
      ],
    },
    {
      title: "4 KiB sequential appends",
      baseline: "fs.write callback (bare)",
      opsPerRound: 20_000,
      cases: [
        {
          name: "fs.write callback (bare)",
          op: async () => {
            await writeCallback(writeFd, data);
            writeTruncate();
          },
        },
        {
          name: "Deno.FsFile.write",
          op: async () => {
            await denoFile.write(data);
            if (++denoCount % 16_384 === 0) await denoFile.truncate(0);
          },
        },
      ],
    },
  ];
}
