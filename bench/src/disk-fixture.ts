// Files for the local-disk groups: a page-cached file of pseudo-random bytes to read, fresh
// files to append to, all in one temp directory removed when the process exits.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DiskFixture {
  dir: string;
  /** The file to read: `size` bytes, already read once so that it sits in the page cache. */
  readPath: string;
  size: number;
  /** A random 4 KiB-aligned position inside the read file. */
  position(): number;
  /** A new empty file's path for one append case. */
  appendPath(name: string): string;
}

export function diskFixture(size = 256 * 1024 * 1024): DiskFixture {
  const dir = mkdtempSync(join(tmpdir(), "fusio-bench-disk-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const readPath = join(dir, "read.bin");
  const fd = openSync(readPath, "w");
  const chunk = new Uint8Array(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  for (let done = 0; done < size; done += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  let seed = 1;
  return {
    dir,
    readPath,
    size,
    position() {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed % (size / 4096)) * 4096;
    },
    appendPath(name) {
      const path = join(dir, `append-${name.replace(/[^a-z0-9]+/gi, "-")}.bin`);
      closeSync(openSync(path, "w"));
      return path;
    },
  };
}

/**
 * Appending cases grow their files by 4 KiB per op: every `every` ops the case truncates its
 * file (through `fd`) so the disk never fills. Every case pays it alike.
 */
export function truncateEvery(fd: number, every = 2048): () => void {
  let count = 0;
  return () => {
    if (++count % every === 0) ftruncateSync(fd, 0);
  };
}
