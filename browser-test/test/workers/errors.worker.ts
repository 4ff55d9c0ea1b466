import { OpfsFs } from "@fusio/opfs";
import { kindOf } from "../../../packages/opfs/src/internal/errors.ts";
import { serveCalls } from "../../src/worker-rpc.ts";

/** Errors only a dedicated worker can provoke. */
export const errorMethods = {
  /** An exclusive sync access handle on a file that OpfsFs has open: the browser refuses the lock. */
  async lockConflict(dir: string): Promise<{ name: string; kind: string; retryable: boolean }> {
    const fs = new OpfsFs();
    const file = await fs.open(`${dir}/locked.bin`, { create: true });
    try {
      const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
      const handle = (await directory.getFileHandle("locked.bin")) as FileSystemFileHandle & {
        createSyncAccessHandle(): Promise<{ close(): void }>;
      };
      try {
        (await handle.createSyncAccessHandle()).close();
      } catch (error) {
        const { kind, retryable } = kindOf(error);
        return { name: (error as Error).name, kind, retryable: retryable === true };
      }
      throw new Error("the second handle was granted");
    } finally {
      await file.close();
    }
  },
};

serveCalls(errorMethods);
