import { type CallOptions, FusioError } from "@fusio/core";
import type { CheckpointStore } from "./checkpoint.ts";
import type { ManifestContext } from "./context.ts";
import { loadHead } from "./head.ts";
import type { SegmentStore } from "./segment.ts";
import { compareKeys, inRange, type KeyRange, type Snapshot } from "./snapshot.ts";

/** Where a fold starts: a checkpoint (or nothing) and the newest segment it covers. */
interface Base {
  checkpointId: string | undefined;
  seq: number;
}

/** A stored value looked up by key: `found` false for a key never written or deleted. */
export type Lookup = { found: true; stored: unknown } | { found: false };

/**
 * Reads the state at a snapshot: its checkpoint, then its segments in order. Segments are
 * read by number (HEAD only ever adopts a contiguous run), not found by listing.
 *
 * When a segment or checkpoint a snapshot needs has been garbage-collected (its lease lapsed,
 * or a write session's lease pinned one transaction ahead of its snapshot), the read restarts
 * from the newest surviving checkpoint at or before the snapshot: GC always keeps that one
 * for every leased snapshot. Rust fails the read instead.
 */
export class StateReader {
  readonly #context: ManifestContext;
  readonly #segments: SegmentStore;
  readonly #checkpoints: CheckpointStore;

  constructor(context: ManifestContext, segments: SegmentStore, checkpoints: CheckpointStore) {
    this.#context = context;
    this.#segments = segments;
    this.#checkpoints = checkpoints;
  }

  /** The latest committed state's snapshot. */
  async snapshot(options?: CallOptions): Promise<Snapshot> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#snapshotOnce(options);
      } catch (error) {
        // HEAD moved to a newer checkpoint and GC removed the one we read it at: read HEAD again.
        if (!FusioError.is(error, "NotFound") || attempt >= 3) throw error;
      }
    }
  }

  async #snapshotOnce(options?: CallOptions): Promise<Snapshot> {
    const loaded = await loadHead(this.#context, options);
    if (loaded === undefined) {
      return {
        headTag: undefined,
        txnId: 0,
        lastSegmentSeq: undefined,
        checkpointSeq: undefined,
        checkpointId: undefined,
      };
    }
    const { head, tag } = loaded;
    const checkpointSeq =
      head.checkpointId === undefined
        ? undefined
        : (await this.#checkpoints.meta(head.checkpointId, options)).lastSegmentSeqAtCkpt;
    return {
      headTag: tag,
      txnId: head.lastTxnId,
      lastSegmentSeq: head.lastSegmentSeq,
      checkpointSeq,
      checkpointId: head.checkpointId,
    };
  }

  /** The stored value of `key` at `snapshot`: newest segment first, then the checkpoint. */
  async get(snapshot: Snapshot, key: string, options?: CallOptions): Promise<Lookup> {
    let base: Base = { checkpointId: snapshot.checkpointId, seq: snapshot.checkpointSeq ?? 0 };
    const last = snapshot.lastSegmentSeq ?? 0;
    for (let seq = last; seq > base.seq; seq--) {
      let records: Awaited<ReturnType<SegmentStore["read"]>>["records"];
      try {
        const segment = await this.#segments.read(seq, options);
        if (segment.txnId > snapshot.txnId) continue;
        records = segment.records;
      } catch (error) {
        if (!FusioError.is(error, "NotFound")) throw error;
        // Everything up to the replacement base's segment is in its checkpoint.
        base = await this.#fallback(snapshot, seq, undefined, error, options);
        break;
      }
      for (let i = records.length - 1; i >= 0; i--) {
        const record = records[i];
        if (record?.key !== key) continue;
        return record.op === "Put" && "value" in record ? { found: true, stored: record.value } : { found: false };
      }
    }
    for (;;) {
      if (base.checkpointId === undefined) return { found: false };
      try {
        const entries = await this.#checkpoints.entries(base.checkpointId, options);
        const entry = entries.find(([entryKey]) => entryKey === key);
        return entry === undefined ? { found: false } : { found: true, stored: entry[1] };
      } catch (error) {
        if (!FusioError.is(error, "NotFound")) throw error;
        const replacement = await this.#fallback(snapshot, base.seq, base.checkpointId, error, options);
        // A newer checkpoint also covers segments this lookup has not visited: start over from it.
        if (replacement.seq > base.seq) return this.#getFrom(snapshot, replacement, key, options);
        base = replacement;
      }
    }
  }

  /** The whole state at `snapshot` (or the keys in `range`), as stored values sorted by key. */
  async scan(snapshot: Snapshot, range: KeyRange | undefined, options?: CallOptions): Promise<Map<string, unknown>> {
    let base: Base = { checkpointId: snapshot.checkpointId, seq: snapshot.checkpointSeq ?? 0 };
    for (;;) {
      try {
        return await this.#foldFrom(snapshot, base, range, options);
      } catch (error) {
        if (!(error instanceof MissingPart)) throw error;
        base = await this.#fallback(snapshot, error.seq, error.checkpointId, error.cause, options);
      }
    }
  }

  async #getFrom(snapshot: Snapshot, base: Base, key: string, options?: CallOptions): Promise<Lookup> {
    const rebased: Snapshot = { ...snapshot, checkpointId: base.checkpointId, checkpointSeq: base.seq };
    return this.get(rebased, key, options);
  }

  async #foldFrom(
    snapshot: Snapshot,
    base: Base,
    range: KeyRange | undefined,
    options?: CallOptions,
  ): Promise<Map<string, unknown>> {
    const state = new Map<string, unknown>();
    if (base.checkpointId !== undefined) {
      let entries: Array<[string, unknown]>;
      try {
        entries = await this.#checkpoints.entries(base.checkpointId, options);
      } catch (error) {
        if (FusioError.is(error, "NotFound")) throw new MissingPart(base.seq, base.checkpointId, error);
        throw error;
      }
      for (const [key, stored] of entries) if (inRange(key, range)) state.set(key, stored);
    }
    const last = snapshot.lastSegmentSeq ?? 0;
    for (let seq = base.seq + 1; seq <= last; seq++) {
      let segment: Awaited<ReturnType<SegmentStore["read"]>>;
      try {
        segment = await this.#segments.read(seq, options);
      } catch (error) {
        if (FusioError.is(error, "NotFound")) throw new MissingPart(seq, undefined, error);
        throw error;
      }
      if (segment.txnId > snapshot.txnId) break;
      for (const record of segment.records) {
        if (!inRange(record.key, range)) continue;
        if (record.op === "Put") {
          if ("value" in record) state.set(record.key, record.value);
        } else {
          state.delete(record.key);
        }
      }
    }
    return new Map([...state].sort(([a], [b]) => compareKeys(a, b)));
  }

  /**
   * The newest checkpoint at or before the snapshot that covers segment `minSeq`, other than
   * `exclude`; rethrows `cause` when there is none.
   */
  async #fallback(
    snapshot: Snapshot,
    minSeq: number,
    exclude: string | undefined,
    cause: unknown,
    options?: CallOptions,
  ): Promise<Base> {
    const candidates = (await this.#checkpoints.list(options)).filter(
      ({ id, meta }) => id !== exclude && meta.lsn <= snapshot.txnId && meta.lastSegmentSeqAtCkpt >= minSeq,
    );
    const newest = candidates.at(-1);
    if (newest === undefined) throw cause;
    return { checkpointId: newest.id, seq: newest.meta.lastSegmentSeqAtCkpt };
  }
}

/** A part of the state that has been garbage-collected. */
class MissingPart extends Error {
  readonly seq: number;
  readonly checkpointId: string | undefined;

  constructor(seq: number, checkpointId: string | undefined, cause: unknown) {
    super("missing", { cause });
    this.seq = seq;
    this.checkpointId = checkpointId;
  }
}
