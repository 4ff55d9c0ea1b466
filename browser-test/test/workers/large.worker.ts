import { OpfsFs } from "@fusio/opfs";
import { serveCalls } from "../../src/worker-rpc.ts";

const fs = new OpfsFs();

/** Positions past 2^31 (and 2^32), through sync access handles. */
export const largeMethods = {
  /**
   * Makes `dir/sparse.bin` `start` bytes long with the browser's own `truncate` (sparse: no bytes
   * are written), then appends `tail` through OpfsFs and reads around and past `start` back. The caller removes it.
   */
  async appendAndReadBack(
    dir: string,
    start: number,
    tail: number[],
  ): Promise<{
    sizeBefore: number;
    sizeAfter: number;
    tail: number[];
    toEnd: number[];
    acrossStart: number[];
    listedSize: number | undefined;
    pastEnd: string;
  }> {
    const path = `${dir}/sparse.bin`;
    await (await fs.open(path, { create: true })).close();
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
    const handle = (await directory.getFileHandle("sparse.bin")) as FileSystemFileHandle & {
      createSyncAccessHandle(): Promise<{ truncate(size: number): void; close(): void }>;
    };
    const raw = await handle.createSyncAccessHandle();
    raw.truncate(start);
    raw.close();
    const file = await fs.open(path, { write: true });
    try {
      const sizeBefore = await file.size();
      await file.writeAll(Uint8Array.from(tail));
      const sizeAfter = await file.size();
      const back = await file.readExactAt(new Uint8Array(tail.length), start);
      const toEnd = await file.readToEndAt(start);
      const acrossStart = await file.readExactAt(new Uint8Array(4), start - 2);
      let pastEnd = "resolved";
      await file.readExactAt(new Uint8Array(1), sizeAfter).catch((error: { kind?: string }) => {
        pastEnd = error.kind ?? "non-FusioError";
      });
      let listedSize: number | undefined;
      for await (const entry of fs.list(dir)) listedSize = entry.size;
      return {
        sizeBefore,
        sizeAfter,
        tail: [...back],
        toEnd: [...toEnd],
        acrossStart: [...acrossStart],
        listedSize,
        pastEnd,
      };
    } finally {
      await file.close();
    }
  },
};

serveCalls(largeMethods);
