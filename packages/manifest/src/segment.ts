import { type CallOptions, FusioError } from "@fusio/core";
import type { ManifestContext } from "./context.ts";
import { arrayField, BACKEND, corrupt, decodeJson, encodeJson, stringField, u64Field } from "./json.ts";
import { parseSegmentSeq } from "./layout.ts";

/** One staged operation as stored: Rust `Record { key, op: Put | Del, value }`. */
export interface SegmentRecord {
  key: string;
  op: "Put" | "Del";
  /** The stored (codec-encoded) value; absent for `Del`. */
  value?: unknown;
}

/**
 * `segments/seg-<seq:020>.json`, one committed transaction, immutable once written. Mirrors
 * Rust `fusio-manifest/src/manifest.rs` `Segment { txn_id, records }`.
 */
export interface SegmentDocument {
  txnId: number;
  records: SegmentRecord[];
}

/** The serde shape: `{"txn_id":N,"records":[{"key":..,"op":"Put","value":..},{"key":..,"op":"Del"}]}`. */
export function segmentToJson(segment: SegmentDocument): Record<string, unknown> {
  return {
    txn_id: segment.txnId,
    records: segment.records.map((record) =>
      record.op === "Put" ? { key: record.key, op: "Put", value: record.value } : { key: record.key, op: "Del" },
    ),
  };
}

/** Parses a segment document. */
export function segmentFromJson(document: unknown, key: string): SegmentDocument {
  const op = "readSegment";
  const records = arrayField(document, "records", op, key).map((record): SegmentRecord => {
    const recordKey = stringField(record, "key", op, key);
    const kind = stringField(record, "op", op, key);
    if (kind === "Del") return { key: recordKey, op: "Del" };
    if (kind !== "Put") throw corrupt(op, key, `unknown record op "${kind}"`);
    const value = (record as { value?: unknown }).value;
    // serde skips a `None` value; a Put of Rust `Option::None` has nothing to apply.
    return value === undefined ? { key: recordKey, op: "Put" } : { key: recordKey, op: "Put", value };
  });
  return { txnId: u64Field(document, "txn_id", op, key), records };
}

/**
 * The metadata entry Rust stores the txn id under (S3 sends it as `x-amz-meta-fusio-txn-id`).
 * Azure accepts only C# identifiers as metadata names (a hyphen is 400 InvalidMetadata), so
 * there it is `fusio_txn_id`. Nothing reads it back; it is for people inspecting a bucket.
 */
function txnIdMetadata(fsKind: string): string {
  return fsKind === "azure" ? "fusio_txn_id" : "fusio-txn-id";
}

/** Decoded segments kept per manifest; segments never change once written. */
const CACHE_LIMIT = 1024;

/**
 * Reads and writes segments. Unlike Rust's `SegmentStoreImpl`, a segment is addressed by its
 * sequence number (no listing to read a known range), each one is downloaded and parsed once
 * per manifest instance (an immutable object is safe to cache), and listing sorts the whole
 * directory before filtering.
 */
export class SegmentStore {
  readonly #context: ManifestContext;
  readonly #cache = new Map<number, { bytes: Uint8Array; segment: SegmentDocument }>();

  constructor(context: ManifestContext) {
    this.#context = context;
  }

  /** The bytes of a segment document as written. */
  encode(segment: SegmentDocument): Uint8Array {
    return encodeJson(segmentToJson(segment));
  }

  /**
   * Creates segment `seq` if no segment has that number yet.
   * @throws FusioError `PreconditionFailed` when segment `seq` exists.
   */
  async create(seq: number, txnId: number, bytes: Uint8Array, options?: CallOptions): Promise<void> {
    await this.#context.fs.putConditional(
      this.#context.layout.segment(seq),
      bytes,
      { ifNotExists: true },
      {
        ...options,
        contentType: "application/json",
        metadata: { [txnIdMetadata(this.#context.fs.kind)]: String(txnId) },
      },
    );
  }

  /**
   * Segment `seq` with its raw bytes, or undefined when it does not exist.
   */
  async load(seq: number, options?: CallOptions): Promise<{ bytes: Uint8Array; segment: SegmentDocument } | undefined> {
    const cached = this.#cache.get(seq);
    if (cached !== undefined) return cached;
    const key = this.#context.layout.segment(seq);
    const loaded = await this.#context.fs.loadWithTag(key, options);
    if (loaded === undefined) return undefined;
    const entry = { bytes: loaded.data, segment: segmentFromJson(decodeJson(loaded.data, "readSegment", key), key) };
    this.#remember(seq, entry);
    return entry;
  }

  /**
   * Segment `seq`.
   * @throws FusioError `NotFound` when it does not exist (never written, or garbage-collected).
   */
  async read(seq: number, options?: CallOptions): Promise<SegmentDocument> {
    const loaded = await this.load(seq, options);
    if (loaded === undefined) {
      throw new FusioError("NotFound", `segment ${seq} does not exist`, {
        op: "readSegment",
        path: this.#context.layout.segment(seq),
        backend: BACKEND,
      });
    }
    return loaded.segment;
  }

  /** The sequence numbers of all segments at or after `fromSeq`, ascending. */
  async list(fromSeq: number, options?: CallOptions): Promise<number[]> {
    const out: number[] = [];
    for await (const entry of this.#context.fs.list(this.#context.layout.segmentsDir, options)) {
      const seq = parseSegmentSeq(entry.path.filename() ?? "");
      if (seq !== undefined && seq >= fromSeq) out.push(seq);
    }
    return out.sort((a, b) => a - b);
  }

  /** Removes every segment numbered `upToSeq` or lower; missing ones are fine. */
  async deleteUpTo(upToSeq: number, options?: CallOptions): Promise<void> {
    const doomed = (await this.list(0, options)).filter((seq) => seq <= upToSeq);
    for (const seq of doomed) {
      await this.#context.fs.remove(this.#context.layout.segment(seq), options);
      this.#cache.delete(seq);
    }
  }

  #remember(seq: number, entry: { bytes: Uint8Array; segment: SegmentDocument }): void {
    if (this.#cache.size >= CACHE_LIMIT) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    this.#cache.set(seq, entry);
  }
}
