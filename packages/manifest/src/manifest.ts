import { type CallOptions, type CasFs, FusioError, isCasFs, throwIfAborted } from "@fusio/core";
import { type BackoffPolicy, defaultBackoff } from "./backoff.ts";
import { CheckpointStore } from "./checkpoint.ts";
import { type Clock, systemClock } from "./clock.ts";
import { jsonCodec, type ValueCodec } from "./codec.ts";
import { Compactor } from "./compactor.ts";
import type { ManifestContext } from "./context.ts";
import { GcPlanStore } from "./gc.ts";
import { BACKEND } from "./json.ts";
import { Layout } from "./layout.ts";
import { LeaseStore } from "./lease.ts";
import type { ManifestParts } from "./parts.ts";
import { ReadSession } from "./read-session.ts";
import { recoverOrphans } from "./recover.ts";
import { defaultRetention, type RetentionPolicy } from "./retention.ts";
import { SegmentStore } from "./segment.ts";
import type { KeyRange, Snapshot } from "./snapshot.ts";
import { StateReader } from "./state.ts";
import { WriteSession } from "./write-session.ts";

/** Options of {@link Manifest}. */
export interface ManifestOptions<V> {
  /** The directory (key prefix) the manifest lives under; `""` (default) is the Fs root. */
  prefix?: string | undefined;
  /** How values are stored in the JSON documents. Default: values are JSON already. */
  codec?: ValueCodec<V> | undefined;
  /** Retention and lease settings; unset fields take Rust's defaults ({@link defaultRetention}). */
  retention?: Partial<RetentionPolicy> | undefined;
  /** Retry timing; unset fields take Rust's defaults ({@link defaultBackoff}). */
  backoff?: Partial<BackoffPolicy> | undefined;
  /** Time source for leases, checkpoint ages and backoff sleeps. Default: the system clock. */
  clock?: Clock | undefined;
}

/**
 * A key-value manifest with serializable transactions, stored under a prefix of any
 * `CasFs` with the object layout and JSON documents of Rust fusio-manifest. Any number of
 * processes may open the same manifest; the only coordination is a conditional write of
 * `HEAD.json`. Keys are strings; values are `V`, JSON by default.
 *
 * ```ts
 * const manifest = new Manifest<{ files: string[] }>(new MemoryFs(), { prefix: "catalog" });
 * const tx = await manifest.writeSession();
 * tx.put("tables/users", { files: ["users-0001.parquet"] });
 * await tx.commit(); // rejects PreconditionFailed if another transaction won the race
 * ```
 */
export class Manifest<V = unknown> {
  readonly #parts: ManifestParts<V>;

  /** @throws FusioError `Unsupported` when `fs` has no conditional writes. */
  constructor(fs: CasFs, options: ManifestOptions<V> = {}) {
    if (!isCasFs(fs)) {
      throw new FusioError("Unsupported", "a manifest needs an Fs with conditional writes (CasFs)", {
        op: "openManifest",
        backend: BACKEND,
      });
    }
    const context: ManifestContext = {
      fs,
      layout: new Layout(options.prefix ?? ""),
      clock: options.clock ?? systemClock,
      backoff: { ...defaultBackoff, ...definedOnly(options.backoff) },
      retention: { ...defaultRetention, ...definedOnly(options.retention) },
    };
    const segments = new SegmentStore(context);
    const checkpoints = new CheckpointStore(context);
    this.#parts = {
      context,
      codec: options.codec ?? jsonCodec<V>(),
      segments,
      checkpoints,
      leases: new LeaseStore(context),
      gcPlans: new GcPlanStore(context),
      reader: new StateReader(context, segments, checkpoints),
    };
  }

  /** The prefix the manifest lives under. */
  get prefix(): string {
    return this.#parts.context.layout.prefix;
  }

  /** The settings in effect (defaults filled in). */
  get retention(): Readonly<RetentionPolicy> {
    return this.#parts.context.retention;
  }

  /** The latest committed state's snapshot (reads HEAD). */
  async snapshot(options?: CallOptions): Promise<Snapshot> {
    throwIfAborted(options?.signal, { op: "snapshot", backend: BACKEND });
    return this.#parts.reader.snapshot(options);
  }

  /**
   * Begins a transaction on the latest state. Runs orphan recovery first, then takes a
   * lease for the transaction it will commit.
   */
  async writeSession(options?: CallOptions): Promise<WriteSession<V>> {
    throwIfAborted(options?.signal, { op: "writeSession", backend: BACKEND });
    await recoverOrphans(this.#parts, options);
    const snapshot = await this.#parts.reader.snapshot(options);
    const lease = await this.#parts.leases.create(
      snapshot.txnId + 1,
      snapshot.headTag,
      this.#parts.context.retention.leaseTtlMs,
      options,
    );
    return new WriteSession(this.#parts, snapshot, lease);
  }

  /** A read session on the latest state. */
  async readSession(options?: CallOptions): Promise<ReadSession<V>> {
    return this.readSessionAt(await this.snapshot(options), options);
  }

  /** A read session on `snapshot` (taken earlier, e.g. with {@link Manifest.snapshot}). */
  async readSessionAt(snapshot: Snapshot, options?: CallOptions): Promise<ReadSession<V>> {
    throwIfAborted(options?.signal, { op: "readSession", backend: BACKEND });
    const lease = await this.#parts.leases.create(
      snapshot.txnId,
      snapshot.headTag,
      this.#parts.context.retention.leaseTtlMs,
      options,
    );
    return new ReadSession(this.#parts, snapshot, lease);
  }

  /** One-shot read of `key` in the latest state (a read session opened and ended). */
  async get(key: string, options?: CallOptions): Promise<V | undefined> {
    const session = await this.readSession(options);
    try {
      return await session.get(key, options);
    } finally {
      await session.end();
    }
  }

  /** One-shot scan of the latest state, or of the keys in `range`, sorted by key. */
  async scan(range?: KeyRange, options?: CallOptions): Promise<Array<[string, V]>> {
    const session = await this.readSession(options);
    try {
      return await session.scan(range, options);
    } finally {
      await session.end();
    }
  }

  /**
   * Adopts segments left behind by writers that died between writing their segment and
   * moving HEAD (see the README). Write sessions and `Compactor.runOnce` run it already.
   * @returns how many were adopted.
   */
  async recoverOrphans(options?: CallOptions): Promise<number> {
    throwIfAborted(options?.signal, { op: "recoverOrphans", backend: BACKEND });
    return recoverOrphans(this.#parts, options);
  }

  /** The compaction and garbage-collection entry points for this manifest. */
  compactor(): Compactor<V> {
    return new Compactor(this.#parts);
  }
}

function definedOnly<T extends object>(partial: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}
