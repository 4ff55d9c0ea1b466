import { OpfsFs } from "@fusio/opfs";
import { kindOf } from "../../../packages/opfs/src/internal/errors.ts";
import { serveCalls } from "../../src/worker-rpc.ts";

/** Errors only a dedicated worker can provoke. */
export const errorMethods = {
  /** An exclusive sync access handle, or a writable stream, on a file OpfsFs has open: the browser refuses the lock. */
  async lockConflict(
    dir: string,
    how: "exclusive handle" | "writable stream",
  ): Promise<{ name: string; kind: string; retryable: boolean }> {
    const fs = new OpfsFs();
    const file = await fs.open(`${dir}/${how}.bin`, { create: true });
    try {
      const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
      const handle = (await directory.getFileHandle(`${how}.bin`)) as FileSystemFileHandle & {
        createSyncAccessHandle(): Promise<{ close(): void }>;
      };
      const second = how === "exclusive handle" ? handle.createSyncAccessHandle() : handle.createWritable();
      try {
        await (await second).close();
      } catch (error) {
        const { kind, retryable } = kindOf(error);
        return { name: (error as Error).name, kind, retryable: retryable === true };
      }
      throw new Error(`the ${how} was granted`);
    } finally {
      await file.close();
    }
  },
};

serveCalls(errorMethods);
