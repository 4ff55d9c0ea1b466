import { type CallOptions, FusioError } from "@fusio/core";
import { classifyError, RetryLoop } from "./backoff.ts";
import type { ManifestContext } from "./context.ts";
import { BACKEND, decodeJson, encodeJson, optionalStringField, stringField, u64Field } from "./json.ts";

/**
 * `leases/<id>.json`: a session's claim that transaction `snapshotTxnId` is still in use.
 * Mirrors Rust `fusio-manifest/src/lease/mod.rs` `LeaseDoc`.
 */
export interface LeaseDocument {
  /** `lease-<ms>` or `lease-<ms>-<attempt>`. */
  id: string;
  /** A read session's snapshot transaction; a write session's is the one it will commit (snapshot + 1). */
  snapshotTxnId: number;
  /** When the lease lapses unless heartbeated, ms since the epoch. */
  expiresAtMs: number;
  /** HEAD's tag when the session began. */
  headTag: string | undefined;
}

/** The serde shape (`head_tag` omitted when absent, as `skip_serializing_if` does). */
export function leaseToJson(lease: LeaseDocument): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: lease.id,
    snapshot_txn_id: lease.snapshotTxnId,
    expires_at_ms: lease.expiresAtMs,
  };
  if (lease.headTag !== undefined) json.head_tag = lease.headTag;
  return json;
}

/** Parses a lease document. */
export function leaseFromJson(document: unknown, key: string): LeaseDocument {
  const op = "readLease";
  return {
    id: stringField(document, "id", op, key),
    snapshotTxnId: u64Field(document, "snapshot_txn_id", op, key),
    expiresAtMs: u64Field(document, "expires_at_ms", op, key),
    headTag: optionalStringField(document, "head_tag", op, key),
  };
}

/** A lease held by this process. */
export interface LeaseHandle {
  readonly id: string;
  readonly snapshotTxnId: number;
}

/** Creates, renews, releases and lists leases. */
export class LeaseStore {
  readonly #context: ManifestContext;

  constructor(context: ManifestContext) {
    this.#context = context;
  }

  /**
   * Creates a lease that expires `ttlMs` from now. The id is `lease-<now>`; a retry adds
   * `-<attempt>`. Unlike Rust, an id taken by a session that started in the same millisecond
   * is a retry too (at once, no sleep), not an error.
   */
  async create(
    snapshotTxnId: number,
    headTag: string | undefined,
    ttlMs: number,
    options?: CallOptions,
  ): Promise<LeaseHandle> {
    const { clock, backoff, fs, layout } = this.#context;
    const loop = new RetryLoop(backoff, clock, options?.signal, "createLease");
    for (let attempt = 0; ; attempt++) {
      const now = clock.now();
      const id = attempt === 0 ? `lease-${now}` : `lease-${now}-${attempt}`;
      const document: LeaseDocument = { id, snapshotTxnId, expiresAtMs: now + ttlMs, headTag };
      try {
        await fs.putConditional(
          layout.lease(id),
          encodeJson(leaseToJson(document)),
          { ifNotExists: true },
          {
            ...options,
            contentType: "application/json",
          },
        );
        return { id, snapshotTxnId };
      } catch (error) {
        const kind = classifyError(error);
        if (kind === "conflict" && attempt < 64) continue;
        if (kind !== "transient" || !(await loop.next())) throw error;
      }
    }
  }

  /**
   * Extends a lease to `ttlMs` from now.
   * @throws FusioError `NotFound` when the lease is gone (released, or removed after expiry),
   *   `PreconditionFailed` when it changed under us.
   */
  async heartbeat(lease: LeaseHandle, ttlMs: number, options?: CallOptions): Promise<void> {
    const { clock, fs, layout } = this.#context;
    const key = layout.lease(lease.id);
    const loaded = await fs.loadWithTag(key, options);
    if (loaded === undefined) {
      throw new FusioError("NotFound", `lease ${lease.id} is gone`, { op: "heartbeat", path: key, backend: BACKEND });
    }
    const document = leaseFromJson(decodeJson(loaded.data, "heartbeat", key), key);
    document.expiresAtMs = clock.now() + ttlMs;
    await fs.putConditional(
      key,
      encodeJson(leaseToJson(document)),
      { ifMatch: loaded.tag },
      {
        ...options,
        contentType: "application/json",
      },
    );
  }

  /** Removes a lease. Best effort, as in Rust: an expired lease is ignored by everyone anyway. */
  async release(lease: LeaseHandle, options?: CallOptions): Promise<void> {
    try {
      await this.#context.fs.remove(this.#context.layout.lease(lease.id), options);
    } catch {
      // Best effort.
    }
  }

  /** The leases that expire after `nowMs`. Unreadable lease documents are skipped, as in Rust. */
  async listActive(nowMs: number, options?: CallOptions): Promise<LeaseDocument[]> {
    const { fs, layout } = this.#context;
    const keys: string[] = [];
    for await (const entry of fs.list(layout.leasesDir, options)) {
      if (entry.isDirectory !== true) keys.push(entry.path.toString());
    }
    const out: LeaseDocument[] = [];
    for (const key of keys) {
      const loaded = await fs.loadWithTag(key, options);
      if (loaded === undefined) continue;
      let document: LeaseDocument;
      try {
        document = leaseFromJson(decodeJson(loaded.data, "listLeases", key), key);
      } catch {
        continue;
      }
      if (document.expiresAtMs > nowMs) out.push(document);
    }
    return out;
  }
}
