// Reads into a buffer larger than one node:fs call may fill (2^31 - 1 bytes): the engine reads
// in pieces, so the contract (fill the buffer, or UnexpectedEof) holds and the handle still closes.
// One 2 GiB buffer serves every case; the large file is sparse, so no disk space is used.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectsWith, tempDir } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

const LARGE = 2 ** 31;

describe("DiskFile.readExactAt with a buffer over 2^31 - 1 bytes", () => {
  const dir = tempDir("large");
  const fs = new NodeFs({ root: dir.path });
  // Allocated lazily by the OS: pages are touched only as they are read into.
  let buf: Uint8Array;

  beforeAll(() => {
    buf = new Uint8Array(LARGE);
    writeFileSync(join(dir.path, "short.bin"), "abc");
    // A sparse file of LARGE + 10 bytes whose last bytes are known.
    const fd = openSync(join(dir.path, "sparse.bin"), "w");
    writeSync(fd, Buffer.from("0123456789"), 0, 10, LARGE);
    writeSync(fd, Buffer.from("head"), 0, 4, 0);
    closeSync(fd);
  });
  afterAll(() => dir.cleanup());

  it("rejects UnexpectedEof on a short file, and close resolves afterwards", { timeout: 60_000 }, async () => {
    const file = await fs.open("short.bin");
    await rejectsWith(file.readExactAt(buf, 0), "UnexpectedEof");
    await file.close();
  });

  it("fills the whole buffer from a larger file, in pieces", { timeout: 120_000 }, async () => {
    const file = await fs.open("sparse.bin");
    expect(await file.readExactAt(buf, 4)).toBe(buf);
    expect(buf[0]).toBe(0);
    // Bytes LARGE .. LARGE + 3 of the file are "0123".
    expect(Buffer.from(buf.subarray(LARGE - 4)).toString()).toBe("0123");
    await file.close();
  });
});
