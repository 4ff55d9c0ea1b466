// The worker side of the OPFS benchmark: sync access handles, bare and through OpfsFs.
import type { File } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { BLOCK, positions, type RunRequest, type RunResult, time } from "./protocol.ts";

/** The sync access handle, which TypeScript's DOM lib does not type. */
interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & {
  createSyncAccessHandle(options: { mode: "readwrite-unsafe" }): Promise<SyncAccessHandle>;
};

const scope = globalThis as unknown as {
  postMessage(message: RunResult): void;
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
};
const fs = new OpfsFs();
const root = await navigator.storage.getDirectory();
const readHandle = (await root.getFileHandle("bench-read.bin")) as SyncFileHandle;
const bareRead = await readHandle.createSyncAccessHandle({ mode: "readwrite-unsafe" });
const fusioRead: File = await fs.open("bench-read.bin");
const buf = new Uint8Array(BLOCK);
const chunk = new Uint8Array(BLOCK).fill(7);
const nextBare = positions();
const nextFusio = positions();

/** Each case: set up outside the timing where it must, then time `ops` operations. */
const cases: Record<string, (ops: number) => Promise<number>> = {
  "SyncAccessHandle.read (bare, worker)": (ops) => time(ops, () => bareRead.read(buf, { at: nextBare() })),
  "OpfsFs readExactAt (worker, sync handle)": (ops) => time(ops, () => fusioRead.readExactAt(buf, nextFusio())),
  // Write runs include opening and closing the file, for every case alike.
  "SyncAccessHandle.write (bare, worker)": async (ops) => {
    const start = performance.now();
    const handle = (await root.getFileHandle("bench-write-bare.bin", { create: true })) as SyncFileHandle;
    const access = await handle.createSyncAccessHandle({ mode: "readwrite-unsafe" });
    access.truncate(0);
    let at = 0;
    for (let i = 0; i < ops; i++) at += access.write(chunk, { at });
    access.close();
    return ops / ((performance.now() - start) / 1000);
  },
  "OpfsFs writeAll (worker, sync handle)": async (ops) => {
    const start = performance.now();
    const file = await fs.open("bench-write-fusio.bin", { create: true, truncate: true });
    for (let i = 0; i < ops; i++) await file.writeAll(chunk);
    await file.close();
    return ops / ((performance.now() - start) / 1000);
  },
};

scope.onmessage = (event) => {
  const run = cases[event.data.name];
  if (run === undefined) return scope.postMessage({ error: `no worker case ${event.data.name}` });
  run(event.data.ops).then(
    (rate) => scope.postMessage({ rate }),
    (error: unknown) => scope.postMessage({ error: String(error) }),
  );
};
scope.postMessage({});
