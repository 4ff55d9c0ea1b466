import type { CallOptions } from "@fusio/core";
import { classifyError, RetryLoop } from "./backoff.ts";
import { emptyHead, loadHead, putHead } from "./head.ts";
import type { ManifestParts } from "./parts.ts";

/**
 * Adopts orphan segments: segments past HEAD written by a writer that died (or stalled past
 * its lease) between writing its segment and moving HEAD. Starting right after HEAD's last
 * segment, it takes the contiguous run whose txn ids go up by exactly one and whose txn is
 * not claimed by a live lease (an in-flight writer), then moves HEAD past the run.
 * A lost HEAD race is retried under the backoff policy.
 *
 * @returns how many segments were adopted.
 */
export async function recoverOrphans<V>(parts: ManifestParts<V>, options?: CallOptions): Promise<number> {
  const { context, leases, segments } = parts;
  const loop = new RetryLoop(context.backoff, context.clock, options?.signal, "recoverOrphans");
  for (;;) {
    try {
      const loaded = await loadHead(context, options);
      const current = loaded?.head ?? emptyHead();
      let nextSeq = (current.lastSegmentSeq ?? 0) + 1;
      const candidates = await segments.list(nextSeq, options);
      if (candidates[0] !== nextSeq) return 0;
      const claimed = new Set((await leases.listActive(context.clock.now(), options)).map((l) => l.snapshotTxnId));
      let lastTxn = current.lastTxnId;
      for (const seq of candidates) {
        if (seq !== nextSeq) break;
        const loadedSegment = await segments.load(seq, options);
        if (loadedSegment === undefined) break;
        const txn = loadedSegment.segment.txnId;
        if (txn !== lastTxn + 1 || claimed.has(txn)) break;
        lastTxn = txn;
        nextSeq++;
      }
      const adopted = lastTxn - current.lastTxnId;
      if (adopted === 0) return 0;
      await putHead(
        context,
        { ...current, version: Math.max(current.version, 1), lastSegmentSeq: nextSeq - 1, lastTxnId: lastTxn },
        loaded?.tag,
        options,
      );
      return adopted;
    } catch (error) {
      if (classifyError(error) === "fatal" || !(await loop.next())) throw error;
    }
  }
}
