// The reference rows of the size report: a kind's floor plus the pieces of @fusio/core that
// DESIGN.md puts in every backend (Path, FusioError, OpenOptions normalisation), used the way a
// backend uses them. What they weigh together is what a fusio job costs before any backend code:
// the part of the budget that is already spent.
import { FusioError, normalizeOpenOptions, toPath } from "@fusio/core";
import type { JobOutput } from "./target.ts";

/** `floor` with its keys validated as Paths, its write opened through OpenOptions, its failures as FusioErrors. */
export function withCorePieces<T extends { readKey: string; writeKey: string }>(
  floor: (target: T) => Promise<JobOutput>,
): (target: T) => Promise<JobOutput> {
  return async (target) => {
    const readKey = toPath(target.readKey).raw;
    const writeKey = toPath(target.writeKey).raw;
    const open = normalizeOpenOptions({ create: true, truncate: true });
    if (!open.write) throw new FusioError("InvalidArgument", "the write is not opened for writing", { op: "open" });
    try {
      return await floor({ ...target, readKey, writeKey });
    } catch (cause) {
      throw new FusioError("Io", "the job failed", { op: "job", path: readKey, cause });
    }
  };
}
