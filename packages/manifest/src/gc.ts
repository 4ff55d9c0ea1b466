import type { CallOptions, CasCondition } from "@fusio/core";
import { retryTransient } from "./backoff.ts";
import type { ManifestContext } from "./context.ts";
import { arrayField, corrupt, decodeJson, encodeJson, optionalStringField, stringField, u64Field } from "./json.ts";

/** An inclusive range of segment numbers. */
export interface SegmentRange {
  start: number;
  end: number;
}

/** A checkpoint a plan asks for (carried for Rust compatibility; nothing produces one yet). */
export interface CheckpointSpec {
  name: string;
  uptoLsn: number;
}

/**
 * `gc/GARBAGE`: the garbage-collection plan several compactors share. Mirrors Rust
 * `fusio-manifest/src/gc.rs` `GcPlan`.
 */
export interface GcPlan {
  /** HEAD's tag when the plan was computed; a moved HEAD voids the plan in `gcApply`. */
  againstHeadTag: string | undefined;
  /** Deletion waits until this time, ms since the epoch. */
  notBeforeMs: number;
  deleteSegments: SegmentRange[];
  /** Checkpoint ids. */
  deleteCheckpoints: string[];
  makeCheckpoints: CheckpointSpec[];
}

/** The empty plan, which a finished or voided plan is reset to. */
export function emptyGcPlan(): GcPlan {
  return { againstHeadTag: undefined, notBeforeMs: 0, deleteSegments: [], deleteCheckpoints: [], makeCheckpoints: [] };
}

/** Whether a plan has nothing to do. */
export function isEmptyGcPlan(plan: GcPlan): boolean {
  return plan.deleteSegments.length === 0 && plan.deleteCheckpoints.length === 0 && plan.makeCheckpoints.length === 0;
}

/** The serde shape; `not_before` is a Duration serialised as whole milliseconds. */
export function gcPlanToJson(plan: GcPlan): Record<string, unknown> {
  return {
    against_head_tag: plan.againstHeadTag ?? null,
    not_before: plan.notBeforeMs,
    delete_segments: plan.deleteSegments.map(({ start, end }) => ({ start, end })),
    delete_checkpoints: [...plan.deleteCheckpoints],
    make_checkpoints: plan.makeCheckpoints.map(({ name, uptoLsn }) => ({ name, upto_lsn: uptoLsn })),
  };
}

/** Parses `gc/GARBAGE`. */
export function gcPlanFromJson(document: unknown, key: string): GcPlan {
  const op = "loadGcPlan";
  return {
    againstHeadTag: optionalStringField(document, "against_head_tag", op, key),
    notBeforeMs: u64Field(document, "not_before", op, key),
    deleteSegments: arrayField(document, "delete_segments", op, key).map((range) => ({
      start: u64Field(range, "start", op, key),
      end: u64Field(range, "end", op, key),
    })),
    deleteCheckpoints: arrayField(document, "delete_checkpoints", op, key).map((id) => {
      if (typeof id !== "string") throw corrupt(op, key, "a checkpoint id is not a string");
      return id;
    }),
    makeCheckpoints: arrayField(document, "make_checkpoints", op, key).map((spec) => ({
      name: stringField(spec, "name", op, key),
      uptoLsn: u64Field(spec, "upto_lsn", op, key),
    })),
  };
}

/** Reads and conditionally writes the GC plan, retrying transient errors. */
export class GcPlanStore {
  readonly #context: ManifestContext;

  constructor(context: ManifestContext) {
    this.#context = context;
  }

  /** The plan with its tag, or undefined when none was ever written. */
  async load(options?: CallOptions): Promise<{ plan: GcPlan; tag: string } | undefined> {
    const { fs, layout, backoff, clock } = this.#context;
    const key = layout.gcPlan;
    const loaded = await retryTransient(backoff, clock, options?.signal, "loadGcPlan", () =>
      fs.loadWithTag(key, options),
    );
    if (loaded === undefined) return undefined;
    return { plan: gcPlanFromJson(decodeJson(loaded.data, "loadGcPlan", key), key), tag: loaded.tag };
  }

  /**
   * Writes the plan under a condition.
   * @returns the new tag.
   * @throws FusioError `PreconditionFailed` when the condition does not hold.
   */
  async put(plan: GcPlan, when: CasCondition, options?: CallOptions): Promise<string> {
    const { fs, layout, backoff, clock } = this.#context;
    const body = encodeJson(gcPlanToJson(plan));
    return retryTransient(backoff, clock, options?.signal, "putGcPlan", () =>
      fs.putConditional(layout.gcPlan, body, when, { ...options, contentType: "application/json" }),
    );
  }
}
