import { type CallOptions, FusioError } from "@fusio/core";
import { classifyError, RetryLoop } from "./backoff.ts";
import { emptyHead, type HeadDocument, type LoadedHead, loadHead, putHead } from "./head.ts";
import { BACKEND } from "./json.ts";
import { ReadSession } from "./read-session.ts";
import type { SegmentRecord } from "./segment.ts";
import { compareKeys, inRange, type KeyRange } from "./snapshot.ts";

/** What a successful commit wrote. */
export interface CommitInfo {
  /** The transaction id it committed as. */
  txnId: number;
  /** The segment that holds it. */
  segmentSeq: number;
}

/**
 * A transaction: reads see the snapshot plus this session's own staged writes; `commit`
 * publishes the staged writes atomically, or rejects `PreconditionFailed` when any other
 * transaction committed since the snapshot (first committer wins, so committed
 * transactions are serializable). `end()` and `abort()` drop the staged writes.
 */
export class WriteSession<V> extends ReadSession<V> {
  readonly #staged: SegmentRecord[] = [];
  /** HEAD as seen when this session's segment was written; set once the transaction is decided. */
  #written: { head: LoadedHead | undefined } | undefined;

  /**
   * Stages `key = value`. Throws at once (kind `InvalidArgument`) when the key is not a string
   * or the codec cannot encode the value.
   */
  put(key: string, value: V): void {
    this.#checkUndecided("put");
    checkKey(key, "put");
    const stored = this.parts.codec.encode(value);
    if (stored === undefined) {
      throw new FusioError("InvalidArgument", "the codec encoded the value as undefined", {
        op: "put",
        path: key,
        backend: BACKEND,
      });
    }
    this.#staged.push({ key, op: "Put", value: stored });
  }

  /** Stages the deletion of `key` (a tombstone; deleting a missing key is fine). */
  delete(key: string): void {
    this.#checkUndecided("delete");
    checkKey(key, "delete");
    this.#staged.push({ key, op: "Del" });
  }

  /** How many operations are staged. */
  get stagedCount(): number {
    return this.#staged.length;
  }

  /** The value of `key`: this session's latest staged write, else the snapshot's. */
  override async get(key: string, options?: CallOptions): Promise<V | undefined> {
    this.checkOpen("get", options);
    for (let i = this.#staged.length - 1; i >= 0; i--) {
      const record = this.#staged[i];
      if (record?.key !== key) continue;
      return record.op === "Put" ? this.parts.codec.decode(record.value) : undefined;
    }
    return super.get(key, options);
  }

  /** The snapshot's entries with this session's staged writes applied, sorted by key. */
  override async scan(range?: KeyRange, options?: CallOptions): Promise<Array<[string, V]>> {
    this.checkOpen("scan", options);
    const state = await this.parts.reader.scan(this.snapshot, range, options);
    for (const record of this.#staged) {
      if (!inRange(record.key, range)) continue;
      if (record.op === "Put") state.set(record.key, record.value);
      else state.delete(record.key);
    }
    return [...state]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([key, stored]) => [key, this.parts.codec.decode(stored)]);
  }

  /** Drops the staged writes and releases the lease. */
  async abort(options?: CallOptions): Promise<void> {
    this.#staged.length = 0;
    await this.releaseLease(options);
  }

  /** Same as {@link WriteSession.abort} (a session ended without commit commits nothing). */
  override async end(options?: CallOptions): Promise<void> {
    await this.abort(options);
  }

  /**
   * Publishes the staged writes as transaction `snapshot.txnId + 1`: writes segment
   * `seg-<lastSegmentSeq + 1>` if no segment has that number, then moves HEAD to it if HEAD
   * still has the snapshot's tag. Transient storage errors are retried under the backoff
   * policy. The session ends, unless the transaction is decided but not yet published (below).
   *
   * Once the segment is written the transaction is decided: it is either published by this
   * call or adopted later by orphan recovery. So a lost HEAD race after that point is settled
   * by reading HEAD again instead of failing (Rust reports `PreconditionFailed` there and the
   * transaction is applied anyway). If this call still fails after the segment is written
   * (abort, storage down), the transaction is nonetheless decided: call `commit()` again to
   * publish it now, or leave it (even `abort()` cannot take it back) and orphan recovery
   * adopts it once the lease lapses.
   *
   * @throws FusioError `PreconditionFailed` when another transaction committed since the
   *   snapshot; `Closed` when the session already ended.
   */
  async commit(options?: CallOptions): Promise<CommitInfo> {
    this.checkOpen("commit", options);
    const { context, segments } = this.parts;
    const snapshot = this.snapshot;
    const txnId = snapshot.txnId + 1;
    const segmentSeq = (snapshot.lastSegmentSeq ?? 0) + 1;
    const bytes = segments.encode({ txnId, records: this.#staged });
    const started = context.clock.now();
    const loop = new RetryLoop(context.backoff, context.clock, options?.signal, "commit");
    const fail = async (error: unknown): Promise<never> => {
      await this.abort();
      throw error;
    };

    // Phase 1: the segment. Until it exists, failing is clean.
    let head: LoadedHead | undefined = this.#written?.head;
    let hadTransient = false;
    while (this.#written === undefined) {
      try {
        head = await loadHead(context, options);
        // A new checkpoint alone moves HEAD without changing the state: not a conflict.
        if (
          (head === undefined) !== (snapshot.headTag === undefined) ||
          (head?.head.lastTxnId ?? 0) !== snapshot.txnId
        ) {
          // Unless it was ours: written before a lost response, then adopted by recovery.
          if (hadTransient && (await this.#isOurs(segmentSeq, bytes, options))) {
            this.#written = { head };
            break;
          }
          return fail(conflict("another transaction committed since the snapshot"));
        }
        await segments.create(segmentSeq, txnId, bytes, options);
        this.#written = { head };
      } catch (error) {
        const kind = classifyError(error);
        if (kind === "conflict" && hadTransient && (await this.#isOurs(segmentSeq, bytes, options))) {
          this.#written = { head };
          break;
        }
        if (kind === "conflict") return fail(conflict("another writer took the next segment"));
        const elapsed = context.clock.now() - started;
        const budget = context.backoff.maxElapsedMs;
        if (kind !== "transient" || (budget > 0 && elapsed >= budget) || !(await loop.next().catch(fail))) {
          return fail(error);
        }
        hadTransient = true;
      }
    }

    // Phase 2: HEAD. Only this segment can follow the snapshot now, so retrying is safe.
    let expected = head?.tag;
    let base: HeadDocument = head?.head ?? emptyHead();
    let headRaces = 0;
    for (;;) {
      // HEAD already past our segment: recovery adopted it. Never move HEAD back.
      if ((base.lastSegmentSeq ?? 0) >= segmentSeq) {
        await this.abort();
        return { txnId, segmentSeq };
      }
      try {
        await putHead(context, { ...base, lastSegmentSeq: segmentSeq, lastTxnId: txnId }, expected, options);
        await this.abort();
        return { txnId, segmentSeq };
      } catch (error) {
        const kind = classifyError(error);
        if (kind === "fatal") throw error;
        // A lost race here is a new checkpoint (or recovery adopting our segment): nobody else
        // can publish this segment, so there is nothing to wait out, while every other writer
        // fails on it until HEAD moves. Back off on I/O trouble, or when HEAD keeps changing.
        if ((kind === "transient" || ++headRaces > IMMEDIATE_HEAD_RETRIES) && !(await loop.next())) throw error;
        const current = await loadHead(context, options);
        // Adopted by recovery, or our own write landed before its response was lost (the
        // check at the top of the loop returns), else only a checkpoint may have changed.
        if (
          current !== undefined &&
          (current.head.lastSegmentSeq ?? 0) < segmentSeq &&
          current.head.lastTxnId !== snapshot.txnId
        ) {
          throw error;
        }
        expected = current?.tag;
        base = current?.head ?? emptyHead();
      }
    }
  }

  #checkUndecided(op: string): void {
    this.checkOpen(op, undefined);
    if (this.#written !== undefined) {
      throw new FusioError("Closed", "the transaction's segment is written; it can only be committed", {
        op,
        backend: BACKEND,
      });
    }
  }

  /** After a lost response, whether the segment at `seq` is the one this commit wrote. */
  async #isOurs(seq: number, bytes: Uint8Array, options?: CallOptions): Promise<boolean> {
    const loaded = await this.parts.segments.load(seq, options);
    if (loaded === undefined || loaded.bytes.byteLength !== bytes.byteLength) return false;
    return loaded.bytes.every((byte, i) => byte === bytes[i]);
  }
}

/** HEAD races after the segment is written retried at once, before backing off. */
const IMMEDIATE_HEAD_RETRIES = 3;

function conflict(message: string): FusioError {
  return new FusioError("PreconditionFailed", `commit lost the race: ${message}`, { op: "commit", backend: BACKEND });
}

function checkKey(key: unknown, op: string): void {
  if (typeof key !== "string") {
    throw new FusioError("InvalidArgument", "keys are strings", { op, backend: BACKEND });
  }
}
