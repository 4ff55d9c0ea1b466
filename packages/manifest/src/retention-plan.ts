import type { CheckpointEntry } from "./checkpoint.ts";
import type { RetentionPolicy } from "./retention.ts";

/** Which checkpoints garbage collection keeps and which segments it may drop. */
export interface RetentionDecision {
  /**
   * The newest checkpoint older than every leased snapshot. Leased readers whose own
   * segments are gone restart from it, so it is always kept, and segments up to its
   * `lastSegmentSeqAtCkpt` may go.
   */
  floor: CheckpointEntry | undefined;
  /** Checkpoint ids that may be deleted. */
  deletable: string[];
}

/**
 * Rust's retention rule with two safety changes: the floor is strictly below the watermark
 * (a write session's lease names the transaction it will commit, one past its snapshot),
 * and HEAD's own checkpoint is never deletable.
 *
 * @param checkpoints all checkpoints, any order.
 * @param watermark the smallest `snapshotTxnId` of the live leases; `Infinity` when none.
 */
export function decideRetention(
  checkpoints: readonly CheckpointEntry[],
  watermark: number,
  headCheckpointId: string | undefined,
  nowMs: number,
  retention: RetentionPolicy,
): RetentionDecision {
  const sorted = [...checkpoints].sort((a, b) => a.meta.lsn - b.meta.lsn);
  const newest = sorted.at(-1);
  const floor = sorted.filter((entry) => entry.meta.lsn < watermark).at(-1);
  const keepLast = new Set(
    retention.checkpointsKeepLast > 0 ? sorted.slice(-retention.checkpointsKeepLast).map((entry) => entry.id) : [],
  );
  const deletable = sorted
    .filter(
      (entry) =>
        entry.id !== newest?.id &&
        entry.id !== floor?.id &&
        entry.id !== headCheckpointId &&
        !keepLast.has(entry.id) &&
        nowMs - entry.meta.createdAtMs >= retention.checkpointsMinTtlMs,
    )
    .map((entry) => entry.id);
  return { floor, deletable };
}
