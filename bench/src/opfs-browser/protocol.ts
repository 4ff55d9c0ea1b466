// What the Node side (../opfs.ts), the page and the worker of the OPFS benchmark say to each other.

/** One group: its cases, each run in the worker or on the page's main thread. */
export interface OpfsGroup {
  title: string;
  baseline: string;
  cases: Array<{ name: string; where: "worker" | "page" }>;
}

/** The groups and their cases. */
export const OPFS_GROUPS: OpfsGroup[] = [
  {
    title: "OPFS 4 KiB random reads, 1 in flight (Chromium, 16 MiB file)",
    baseline: "SyncAccessHandle.read (bare, worker)",
    cases: [
      { name: "SyncAccessHandle.read (bare, worker)", where: "worker" },
      { name: "OpfsFs readExactAt (worker, sync handle)", where: "worker" },
      { name: "File.slice().arrayBuffer() (bare, main thread)", where: "page" },
      { name: "OpfsFs readExactAt (main thread, file slice)", where: "page" },
    ],
  },
  {
    title: "OPFS 4 KiB sequential writes, then close (Chromium)",
    baseline: "SyncAccessHandle.write (bare, worker)",
    cases: [
      { name: "SyncAccessHandle.write (bare, worker)", where: "worker" },
      { name: "OpfsFs writeAll (worker, sync handle)", where: "worker" },
      { name: "FileSystemWritableFileStream.write (bare, main thread)", where: "page" },
      { name: "OpfsFs writeAll (main thread, writable stream)", where: "page" },
    ],
  },
];

/** A request to the worker: run `ops` operations of case `name`. */
export interface RunRequest {
  name: string;
  ops: number;
}

/** The answer: operations per second, timed where they ran; or the error. */
export interface RunResult {
  rate?: number;
  error?: string;
}

export const FILE_SIZE: number = 16 * 1024 * 1024;
export const BLOCK: number = 4096;

/** A fixed pseudo-random sequence of block-aligned offsets, the same in every context. */
export function positions(): () => number {
  let seed = 1;
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (FILE_SIZE / BLOCK)) * BLOCK;
  };
}

/** Times `ops` calls of `op`, one after another: operations per second. */
export async function time(ops: number, op: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await op();
  return ops / ((performance.now() - start) / 1000);
}
