import { type CallOptions, FusioError, throwIfAborted } from "@fusio/core";
import { BACKEND } from "./json.ts";
import type { LeaseHandle } from "./lease.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import type { ManifestParts } from "./parts.ts";
import type { KeyRange, Snapshot } from "./snapshot.ts";

/**
 * A read-only view of one {@link Snapshot}, held under a lease so garbage collection keeps
 * what it needs. Every read sees the same state, whatever commits meanwhile. Call
 * {@link ReadSession.end} (or `await using`) when done; a session outliving the lease TTL
 * needs {@link ReadSession.heartbeat} or {@link ReadSession.startLeaseKeeper}.
 */
export class ReadSession<V> implements AsyncDisposable {
  /** The state this session reads. */
  readonly snapshot: Snapshot;
  /** @internal */
  protected readonly parts: ManifestParts<V>;
  /** @internal */
  protected lease: LeaseHandle | undefined;
  #keeper: LeaseKeeper | undefined;

  /** @internal Sessions come from `Manifest.readSession()` and friends. */
  constructor(parts: ManifestParts<V>, snapshot: Snapshot, lease: LeaseHandle) {
    this.parts = parts;
    this.snapshot = snapshot;
    this.lease = lease;
  }

  /**
   * The value of `key` at the snapshot, or undefined when absent or deleted.
   * @throws FusioError `Closed` after the session ended, `Aborted`, or the storage's errors.
   */
  async get(key: string, options?: CallOptions): Promise<V | undefined> {
    this.checkOpen("get", options);
    const found = await this.parts.reader.get(this.snapshot, key, options);
    return found.found ? this.parts.codec.decode(found.stored) : undefined;
  }

  /**
   * Every key and value at the snapshot, or those with keys in `range` (`start` included,
   * `end` excluded), sorted by key.
   */
  async scan(range?: KeyRange, options?: CallOptions): Promise<Array<[string, V]>> {
    this.checkOpen("scan", options);
    const state = await this.parts.reader.scan(this.snapshot, range, options);
    return [...state].map(([key, stored]) => [key, this.parts.codec.decode(stored)]);
  }

  /**
   * Extends the lease by the lease TTL from now.
   * @throws FusioError `NotFound` when the lease already lapsed and was removed.
   */
  async heartbeat(options?: CallOptions): Promise<void> {
    this.checkOpen("heartbeat", options);
    await this.parts.leases.heartbeat(this.#lease("heartbeat"), this.parts.context.retention.leaseTtlMs, options);
  }

  /**
   * Renews the lease every `intervalMs` (default a third of the lease TTL) until the session
   * ends or the keeper is stopped.
   */
  startLeaseKeeper(intervalMs?: number): LeaseKeeper {
    this.checkOpen("startLeaseKeeper", undefined);
    const ttl = this.parts.context.retention.leaseTtlMs;
    this.#keeper = new LeaseKeeper(this.parts.leases, this.#lease("startLeaseKeeper"), ttl, intervalMs ?? ttl / 3);
    return this.#keeper;
  }

  /** Releases the lease. Ending twice is a no-op. */
  async end(options?: CallOptions): Promise<void> {
    await this.releaseLease(options);
  }

  /** `await using session = await manifest.readSession()` ends it at scope exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }

  /** @internal */
  protected async releaseLease(options?: CallOptions): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    await this.#keeper?.stop();
    if (lease !== undefined) await this.parts.leases.release(lease, options);
  }

  /** @internal */
  protected checkOpen(op: string, options: CallOptions | undefined): void {
    throwIfAborted(options?.signal, { op, backend: BACKEND });
    if (this.lease === undefined) {
      throw new FusioError("Closed", "the session has ended", { op, backend: BACKEND });
    }
  }

  #lease(op: string): LeaseHandle {
    if (this.lease === undefined) throw new FusioError("Closed", "the session has ended", { op, backend: BACKEND });
    return this.lease;
  }
}
