import { type CallOptions, type CasCondition, FusioError } from "@fusio/core";
import type { ManifestContext } from "./context.ts";
import { decodeJson, encodeJson, optionalStringField, optionalU64Field, u64Field } from "./json.ts";

/**
 * `HEAD.json`, the one mutable object: the latest committed transaction. Mirrors Rust
 * `fusio-manifest/src/head.rs` `HeadJson`.
 */
export interface HeadDocument {
  /** Format version; 1. */
  version: number;
  /** The checkpoint readers start from (`ckpt-<lsn:020>`), if any. */
  checkpointId: string | undefined;
  /** The newest adopted segment, if any. */
  lastSegmentSeq: number | undefined;
  /** The newest committed transaction; 0 before the first commit. */
  lastTxnId: number;
}

/** The HEAD of a manifest that has never been written. */
export function emptyHead(): HeadDocument {
  return { version: 1, checkpointId: undefined, lastSegmentSeq: undefined, lastTxnId: 0 };
}

/** The serde shape, field for field and in declaration order (`None` is `null`). */
export function headToJson(head: HeadDocument): Record<string, unknown> {
  return {
    version: head.version,
    checkpoint_id: head.checkpointId ?? null,
    last_segment_seq: head.lastSegmentSeq ?? null,
    last_txn_id: head.lastTxnId,
  };
}

/** Parses `HEAD.json`. */
export function headFromJson(document: unknown, key: string): HeadDocument {
  const op = "loadHead";
  return {
    version: u64Field(document, "version", op, key),
    checkpointId: optionalStringField(document, "checkpoint_id", op, key),
    lastSegmentSeq: optionalU64Field(document, "last_segment_seq", op, key),
    lastTxnId: u64Field(document, "last_txn_id", op, key),
  };
}

/** HEAD with the tag a conditional write must match. */
export interface LoadedHead {
  head: HeadDocument;
  tag: string;
}

/** Reads HEAD, or undefined when the manifest has none yet. */
export async function loadHead(context: ManifestContext, options?: CallOptions): Promise<LoadedHead | undefined> {
  const key = context.layout.head;
  const loaded = await context.fs.loadWithTag(key, options);
  if (loaded === undefined) return undefined;
  return { head: headFromJson(decodeJson(loaded.data, "loadHead", key), key), tag: loaded.tag };
}

/**
 * Writes HEAD if it still has tag `expected` (or does not exist yet, for `undefined`).
 * @returns the new tag.
 * @throws FusioError `PreconditionFailed` when another writer moved HEAD first.
 */
export async function putHead(
  context: ManifestContext,
  head: HeadDocument,
  expected: string | undefined,
  options?: CallOptions,
): Promise<string> {
  const when: CasCondition = expected === undefined ? { ifNotExists: true } : { ifMatch: expected };
  return context.fs.putConditional(context.layout.head, encodeJson(headToJson(head)), when, {
    ...options,
    contentType: "application/json",
  });
}

/** True when `error` is a lost CAS race. */
export function isConflict(error: unknown): boolean {
  return FusioError.is(error, "PreconditionFailed");
}
