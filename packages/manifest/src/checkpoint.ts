import { type CallOptions, FusioError } from "@fusio/core";
import type { ManifestContext } from "./context.ts";
import { arrayField, BACKEND, corrupt, decodeJson, encodeJson, stringField, u64Field } from "./json.ts";
import { checkpointId } from "./layout.ts";

/**
 * `checkpoints/<id>.meta.json`. Mirrors Rust `fusio-manifest/src/checkpoint.rs` `CheckpointMeta`.
 */
export interface CheckpointMeta {
  /** The transaction the checkpoint folds up to (its id is `ckpt-<lsn:020>`). */
  lsn: number;
  /** How many keys the payload holds. */
  keyCount: number;
  /** The payload size in bytes. */
  byteSize: number;
  /** When it was written, ms since the epoch. */
  createdAtMs: number;
  /** The payload's content type; `application/json`. */
  format: string;
  /** The newest segment folded in. */
  lastSegmentSeqAtCkpt: number;
}

/** A checkpoint id with its metadata. */
export interface CheckpointEntry {
  id: string;
  meta: CheckpointMeta;
}

/** The serde shape of {@link CheckpointMeta}. */
export function checkpointMetaToJson(meta: CheckpointMeta): Record<string, unknown> {
  return {
    lsn: meta.lsn,
    key_count: meta.keyCount,
    byte_size: meta.byteSize,
    created_at_ms: meta.createdAtMs,
    format: meta.format,
    last_segment_seq_at_ckpt: meta.lastSegmentSeqAtCkpt,
  };
}

/** Parses `<id>.meta.json`. */
export function checkpointMetaFromJson(document: unknown, key: string): CheckpointMeta {
  const op = "readCheckpointMeta";
  return {
    lsn: u64Field(document, "lsn", op, key),
    keyCount: u64Field(document, "key_count", op, key),
    byteSize: u64Field(document, "byte_size", op, key),
    createdAtMs: u64Field(document, "created_at_ms", op, key),
    format: stringField(document, "format", op, key),
    lastSegmentSeqAtCkpt: u64Field(document, "last_segment_seq_at_ckpt", op, key),
  };
}

/** The payload's serde shape: `{"entries":[[key, value], ...]}`, here sorted by key. */
export function checkpointPayloadToJson(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  return { entries: entries.map(([key, value]) => [key, value]) };
}

/** Parses a checkpoint payload into `[key, stored value]` pairs. */
export function checkpointPayloadFromJson(document: unknown, key: string): Array<[string, unknown]> {
  return arrayField(document, "entries", "readCheckpoint", key).map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
      throw corrupt("readCheckpoint", key, "an entry is not a [string, value] pair");
    }
    return [entry[0], entry[1]];
  });
}

/** Checkpoint payloads kept per manifest; an id always names the same state. */
const CACHE_LIMIT = 2;

/** Reads and writes checkpoints. */
export class CheckpointStore {
  readonly #context: ManifestContext;
  readonly #cache = new Map<string, Array<[string, unknown]>>();

  constructor(context: ManifestContext) {
    this.#context = context;
  }

  /**
   * Writes the payload, then the metadata (a checkpoint without metadata is not listed). Each
   * is created atomically with if-not-exists: an existing one was written by another compactor
   * at the same transaction, from the same state, and is kept. (Rust truncates and rewrites
   * both files in place, which lets a concurrent reader see a half-written document.)
   */
  async put(
    meta: Omit<CheckpointMeta, "keyCount" | "byteSize" | "format">,
    entries: ReadonlyArray<readonly [string, unknown]>,
    options?: CallOptions,
  ): Promise<CheckpointEntry> {
    const id = checkpointId(meta.lsn);
    const payload = encodeJson(checkpointPayloadToJson(entries));
    const full: CheckpointMeta = {
      lsn: meta.lsn,
      keyCount: entries.length,
      byteSize: payload.byteLength,
      createdAtMs: meta.createdAtMs,
      format: "application/json",
      lastSegmentSeqAtCkpt: meta.lastSegmentSeqAtCkpt,
    };
    await this.#write(this.#context.layout.checkpointData(id), payload, options);
    await this.#write(this.#context.layout.checkpointMeta(id), encodeJson(checkpointMetaToJson(full)), options);
    return { id, meta: full };
  }

  /**
   * The metadata of checkpoint `id`.
   * @throws FusioError `NotFound` when it does not exist.
   */
  async meta(id: string, options?: CallOptions): Promise<CheckpointMeta> {
    const key = this.#context.layout.checkpointMeta(id);
    const loaded = await this.#context.fs.loadWithTag(key, options);
    if (loaded === undefined) throw this.#missing(id, key);
    return checkpointMetaFromJson(decodeJson(loaded.data, "readCheckpointMeta", key), key);
  }

  /**
   * The `[key, stored value]` pairs of checkpoint `id`.
   * @throws FusioError `NotFound` when it does not exist.
   */
  async entries(id: string, options?: CallOptions): Promise<Array<[string, unknown]>> {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const key = this.#context.layout.checkpointData(id);
    const loaded = await this.#context.fs.loadWithTag(key, options);
    if (loaded === undefined) throw this.#missing(id, key);
    const entries = checkpointPayloadFromJson(decodeJson(loaded.data, "readCheckpoint", key), key);
    if (this.#cache.size >= CACHE_LIMIT) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    this.#cache.set(id, entries);
    return entries;
  }

  /** Every checkpoint with metadata, oldest (lowest lsn) first. */
  async list(options?: CallOptions): Promise<CheckpointEntry[]> {
    const ids: string[] = [];
    for await (const entry of this.#context.fs.list(this.#context.layout.checkpointsDir, options)) {
      const name = entry.path.filename() ?? "";
      if (name.endsWith(".meta.json")) ids.push(name.slice(0, -".meta.json".length));
    }
    const out: CheckpointEntry[] = [];
    for (const id of ids) {
      try {
        out.push({ id, meta: await this.meta(id, options) });
      } catch (error) {
        // Deleted by another GC between the listing and the read.
        if (!FusioError.is(error, "NotFound")) throw error;
      }
    }
    return out.sort((a, b) => a.meta.lsn - b.meta.lsn);
  }

  /** Removes a checkpoint's metadata and payload (`.json` and Rust's `.bin`); missing parts are fine. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const layout = this.#context.layout;
    for (const key of [layout.checkpointMeta(id), layout.checkpointData(id), `${layout.checkpointsDir}/${id}.bin`]) {
      await this.#context.fs.remove(key, options);
    }
    this.#cache.delete(id);
  }

  async #write(key: string, data: Uint8Array, options?: CallOptions): Promise<void> {
    try {
      await this.#context.fs.putConditional(
        key,
        data,
        { ifNotExists: true },
        { ...options, contentType: "application/json" },
      );
    } catch (error) {
      if (!FusioError.is(error, "PreconditionFailed")) throw error;
    }
  }

  #missing(id: string, key: string): FusioError {
    return new FusioError("NotFound", `checkpoint ${id} does not exist`, {
      op: "readCheckpoint",
      path: key,
      backend: BACKEND,
    });
  }
}
