import { FusioError } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { serveCalls } from "../../src/worker-rpc.ts";

const fs = new OpfsFs();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the CAS race test asks of each worker. */
export const casMethods = {
  /** Adds 1 to the number stored at `path`, `times` times, each with load + putConditional(ifMatch), retrying lost races. */
  async increment(path: string, times: number): Promise<{ conflicts: number }> {
    let conflicts = 0;
    for (let done = 0; done < times; ) {
      const loaded = await fs.loadWithTag(path);
      if (loaded === undefined) throw new Error(`${path} is missing`);
      const next = encoder.encode(String(Number(decoder.decode(loaded.data)) + 1));
      try {
        await fs.putConditional(path, next, { ifMatch: loaded.tag });
        done++;
      } catch (error) {
        if (!FusioError.is(error, "PreconditionFailed")) throw error;
        conflicts++;
      }
    }
    return { conflicts };
  },
  /** One conditional write: `ifMatch: tag`, or `ifNotExists` when `tag` is null. Resolves to the new tag or the error kind. */
  async put(path: string, data: string, tag: string | null): Promise<{ tag: string } | { kind: string }> {
    try {
      const when = tag === null ? ({ ifNotExists: true } as const) : { ifMatch: tag };
      return { tag: await fs.putConditional(path, encoder.encode(data), when) };
    } catch (error) {
      if (FusioError.is(error)) return { kind: error.kind };
      throw error;
    }
  },
};

serveCalls(casMethods);
