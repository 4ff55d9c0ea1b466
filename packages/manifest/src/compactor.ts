import { type CallOptions, FusioError } from "@fusio/core";
import { classifyError, RetryLoop, retryTransient } from "./backoff.ts";
import type { CheckpointEntry } from "./checkpoint.ts";
import { emptyGcPlan, isEmptyGcPlan } from "./gc.ts";
import { emptyHead, type HeadDocument, loadHead, putHead } from "./head.ts";

import type { ManifestParts } from "./parts.ts";
import { recoverOrphans } from "./recover.ts";
import { decideRetention } from "./retention-plan.ts";

/**
 * Folds history into checkpoints and removes what no lease needs any more. Nothing runs in
 * the background: the host calls these when it likes (after N commits, on a timer, from a
 * separate maintenance process). Any number of compactors may run at once.
 *
 * Two ways to collect garbage: {@link Compactor.compactAndGc} in one process (deletes at
 * once), or the shared-plan protocol {@link Compactor.gcCompute} -> {@link Compactor.gcApply}
 * -> {@link Compactor.gcDeleteAndReset} through `gc/GARBAGE`, which waits `segmentsMinTtlMs`
 * between planning and deleting.
 */
export class Compactor<V> {
  readonly #parts: ManifestParts<V>;

  /** @internal Compactors come from `Manifest.compactor()`. */
  constructor(parts: ManifestParts<V>) {
    this.#parts = parts;
  }

  /**
   * Writes a checkpoint of the latest state (`ckpt-<txn:020>`) and points HEAD at it. HEAD
   * is never moved back to an older checkpoint than it has.
   * @returns the checkpoint, and HEAD's tag after the call.
   * @throws FusioError `PreconditionFailed` when HEAD kept moving through every retry.
   */
  async compactOnce(options?: CallOptions): Promise<{ checkpoint: CheckpointEntry; headTag: string }> {
    const { context, reader, checkpoints } = this.#parts;
    const snapshot = await reader.snapshot(options);
    const state = await reader.scan(snapshot, undefined, options);
    const checkpoint = await checkpoints.put(
      {
        lsn: snapshot.txnId,
        createdAtMs: context.clock.now(),
        lastSegmentSeqAtCkpt: snapshot.lastSegmentSeq ?? 0,
      },
      [...state],
      options,
    );
    // The checkpoint is valid under any later HEAD, so a lost race is retried (Rust gives up).
    const loop = new RetryLoop(context.backoff, context.clock, options?.signal, "compact");
    for (;;) {
      try {
        const current = await loadHead(context, options);
        if (current?.head.checkpointId !== undefined) {
          const published = await checkpoints.meta(current.head.checkpointId, options);
          if (published.lsn >= checkpoint.meta.lsn) return { checkpoint, headTag: current.tag };
        }
        const base = current?.head ?? emptyHead();
        const headTag = await putHead(context, { ...base, checkpointId: checkpoint.id }, current?.tag, options);
        return { checkpoint, headTag };
      } catch (error) {
        if (classifyError(error) === "fatal" || !(await loop.next())) throw error;
      }
    }
  }

  /**
   * {@link Compactor.compactOnce}, then, unless HEAD moved meanwhile, deletes the segments
   * and checkpoints that neither a live lease nor the retention policy needs.
   */
  async compactAndGc(options?: CallOptions): Promise<{ checkpoint: CheckpointEntry; headTag: string }> {
    const { context, checkpoints, segments } = this.#parts;
    const result = await this.compactOnce(options);
    const current = await loadHead(context, options);
    if (current === undefined || current.tag !== result.headTag) return result;
    const { deletable, segmentsUpTo } = await this.#retention(current.head, context.clock.now(), options);
    if (segmentsUpTo > 0) await segments.deleteUpTo(segmentsUpTo, options);
    for (const id of deletable) await checkpoints.delete(id, options);
    return result;
  }

  /**
   * What retention allows at `now` for `head`, given the live leases: the checkpoints that may
   * go, and the segments up to which the floor checkpoint (never past HEAD) makes them garbage.
   */
  async #retention(
    head: HeadDocument,
    now: number,
    options: CallOptions | undefined,
  ): Promise<{ deletable: string[]; segmentsUpTo: number }> {
    const { context, leases, checkpoints } = this.#parts;
    const watermark = minWatermark(await leases.listActive(now, options));
    const decision = decideRetention(
      await checkpoints.list(options),
      watermark,
      head.checkpointId,
      now,
      context.retention,
    );
    const segmentsUpTo = Math.min(decision.floor?.meta.lastSegmentSeqAtCkpt ?? 0, head.lastSegmentSeq ?? 0);
    return { deletable: decision.deletable, segmentsUpTo };
  }

  /** Orphan recovery, then {@link Compactor.compactAndGc}: one maintenance pass. */
  async runOnce(options?: CallOptions): Promise<void> {
    await recoverOrphans(this.#parts, options);
    await this.compactAndGc(options);
  }

  /**
   * Computes a GC plan from HEAD, the live leases and the checkpoints, and installs it as
   * `gc/GARBAGE` unless another plan is pending. Unlike Rust, an empty (finished) plan is
   * replaced rather than blocking every later plan, and no live lease means nothing is
   * pinned rather than "no plan".
   * @returns the plan's tag, or undefined when there is no HEAD or a plan is pending.
   */
  async gcCompute(options?: CallOptions): Promise<string | undefined> {
    const { context, gcPlans } = this.#parts;
    const loaded = await retryTransient(context.backoff, context.clock, options?.signal, "gcCompute", () =>
      loadHead(context, options),
    );
    if (loaded === undefined) return undefined;
    const now = context.clock.now();
    const { deletable, segmentsUpTo } = await this.#retention(loaded.head, now, options);
    const plan = {
      ...emptyGcPlan(),
      againstHeadTag: loaded.tag,
      notBeforeMs: now + context.retention.segmentsMinTtlMs,
      deleteSegments: segmentsUpTo > 0 ? [{ start: 1, end: segmentsUpTo }] : [],
      deleteCheckpoints: deletable,
    };
    if (isEmptyGcPlan(plan)) return undefined;
    const existing = await gcPlans.load(options);
    if (existing !== undefined && !isEmptyGcPlan(existing.plan)) return undefined;
    try {
      return await gcPlans.put(
        plan,
        existing === undefined ? { ifNotExists: true } : { ifMatch: existing.tag },
        options,
      );
    } catch (error) {
      if (FusioError.is(error, "PreconditionFailed")) return undefined;
      throw error;
    }
  }

  /**
   * Makes the pending plan safe to carry out: HEAD must point at a checkpoint that covers
   * every segment the plan deletes; if it does not, HEAD is moved to one. A plan computed
   * against an older HEAD, or with no covering checkpoint, is reset to empty.
   */
  async gcApply(options?: CallOptions): Promise<void> {
    const { context, checkpoints, gcPlans } = this.#parts;
    const loop = new RetryLoop(context.backoff, context.clock, options?.signal, "gcApply");
    for (;;) {
      const loaded = await gcPlans.load(options);
      if (loaded === undefined || isEmptyGcPlan(loaded.plan)) return;
      const { plan, tag } = loaded;
      const upTo = Math.max(0, ...plan.deleteSegments.map((range) => range.end));
      if (upTo === 0) return;
      const reset = async (): Promise<void> => {
        await gcPlans.put(emptyGcPlan(), { ifMatch: tag }, options).catch(ignoreConflict);
      };
      try {
        const head = await loadHead(context, options);
        if (head === undefined || (plan.againstHeadTag !== undefined && head.tag !== plan.againstHeadTag)) {
          return await reset();
        }
        if (head.head.checkpointId !== undefined) {
          const meta = await checkpoints.meta(head.head.checkpointId, options).catch(() => undefined);
          if (meta !== undefined && meta.lastSegmentSeqAtCkpt >= upTo) return;
        }
        const target = (await checkpoints.list(options))
          .sort((a, b) => a.meta.lastSegmentSeqAtCkpt - b.meta.lastSegmentSeqAtCkpt)
          .find((entry) => entry.meta.lastSegmentSeqAtCkpt >= upTo);
        if (target === undefined) return await reset();
        await putHead(context, { ...head.head, checkpointId: target.id }, head.tag, options);
        return;
      } catch (error) {
        const kind = classifyError(error);
        if (kind === "conflict") return await reset();
        if (kind === "fatal" || !(await loop.next())) throw error;
      }
    }
  }

  /**
   * Carries out the pending plan once its `notBefore` time has passed and HEAD's checkpoint
   * covers its segments, then resets it to empty. A failed delete leaves the plan in place
   * for the next pass.
   */
  async gcDeleteAndReset(options?: CallOptions): Promise<void> {
    const { context, checkpoints, segments, gcPlans } = this.#parts;
    const loaded = await gcPlans.load(options);
    if (loaded === undefined) return;
    const { plan, tag } = loaded;
    if (plan.deleteSegments.length === 0 && plan.deleteCheckpoints.length === 0) return;
    if (context.clock.now() < plan.notBeforeMs) return;
    const head = await loadHead(context, options);
    const upTo = Math.max(0, ...plan.deleteSegments.map((range) => range.end));
    if (upTo > 0) {
      // Rust deletes without this check; a HEAD whose checkpoint does not cover the range
      // would leave new readers without their segments.
      const covering = head?.head.checkpointId;
      const meta = covering === undefined ? undefined : await checkpoints.meta(covering, options);
      if (meta === undefined || meta.lastSegmentSeqAtCkpt < upTo) return;
      await segments.deleteUpTo(upTo, options);
    }
    for (const id of plan.deleteCheckpoints) {
      if (id !== head?.head.checkpointId) await checkpoints.delete(id, options);
    }
    await gcPlans.put(emptyGcPlan(), { ifMatch: tag }, options).catch(ignoreConflict);
  }
}

function minWatermark(leases: ReadonlyArray<{ snapshotTxnId: number }>): number {
  return leases.reduce((min, lease) => Math.min(min, lease.snapshotTxnId), Number.POSITIVE_INFINITY);
}

function ignoreConflict(error: unknown): string | undefined {
  if (FusioError.is(error, "PreconditionFailed")) return undefined;
  throw error;
}
