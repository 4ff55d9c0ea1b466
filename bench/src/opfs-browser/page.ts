// The page side of the OPFS benchmark: main-thread cases (file slices and writable streams, bare
// and through OpfsFs), and the dispatcher that hands worker cases to the worker.
import type { File } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { BLOCK, FILE_SIZE, OPFS_GROUPS, positions, type RunResult, time } from "./protocol.ts";

async function prepare(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle("bench-read.bin", { create: true });
  const writable = await handle.createWritable();
  const data = new Uint8Array(FILE_SIZE).map((_, i) => i & 0xff);
  await writable.write(data);
  await writable.close();
}

await prepare();
const fs = new OpfsFs();
const root = await navigator.storage.getDirectory();
const readHandle = await root.getFileHandle("bench-read.bin");
const snapshot = await readHandle.getFile();
const fusioRead: File = await fs.open("bench-read.bin");
const buf = new Uint8Array(BLOCK);
const chunk = new Uint8Array(BLOCK).fill(7);
const nextBare = positions();
const nextFusio = positions();

const pageCases: Record<string, (ops: number) => Promise<number>> = {
  "File.slice().arrayBuffer() (bare, main thread)": (ops) =>
    time(ops, async () => {
      const at = nextBare();
      buf.set(new Uint8Array(await snapshot.slice(at, at + BLOCK).arrayBuffer()));
    }),
  "OpfsFs readExactAt (main thread, file slice)": (ops) => time(ops, () => fusioRead.readExactAt(buf, nextFusio())),
  "FileSystemWritableFileStream.write (bare, main thread)": async (ops) => {
    const start = performance.now();
    const handle = await root.getFileHandle("bench-write-bare-page.bin", { create: true });
    const writable = await handle.createWritable();
    for (let i = 0; i < ops; i++) await writable.write(chunk);
    await writable.close();
    return ops / ((performance.now() - start) / 1000);
  },
  "OpfsFs writeAll (main thread, writable stream)": async (ops) => {
    const start = performance.now();
    const file = await fs.open("bench-write-fusio-page.bin", { create: true, truncate: true });
    for (let i = 0; i < ops; i++) await file.writeAll(chunk);
    await file.close();
    return ops / ((performance.now() - start) / 1000);
  },
};

const worker = new Worker("./worker.js", { type: "module" });
await new Promise<void>((resolve, reject) => {
  worker.onmessage = () => resolve();
  worker.onerror = (event) => reject(new Error(`the bench worker failed: ${event.message}`));
});

function inWorker(name: string, ops: number): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<RunResult>) => {
      if (event.data.rate === undefined) reject(new Error(event.data.error ?? "no rate"));
      else resolve(event.data.rate);
    };
    worker.postMessage({ name, ops });
  });
}

/** What the Node side calls with page.evaluate: one timed run of a case, in ops/s. */
(globalThis as { opfsBench?: unknown }).opfsBench = {
  run(name: string, ops: number): Promise<number> {
    const where = OPFS_GROUPS.flatMap((group) => group.cases).find((entry) => entry.name === name)?.where;
    if (where === "worker") return inWorker(name, ops);
    const run = pageCases[name];
    if (run === undefined) return Promise.reject(new Error(`no page case ${name}`));
    return run(ops);
  },
};
document.title = "ready";
