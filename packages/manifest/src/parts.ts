import type { CheckpointStore } from "./checkpoint.ts";
import type { ValueCodec } from "./codec.ts";
import type { ManifestContext } from "./context.ts";
import type { GcPlanStore } from "./gc.ts";
import type { LeaseStore } from "./lease.ts";
import type { SegmentStore } from "./segment.ts";
import type { StateReader } from "./state.ts";

/** The stores of one open manifest, shared by its sessions and its compactor. */
export interface ManifestParts<V> {
  readonly context: ManifestContext;
  readonly codec: ValueCodec<V>;
  readonly segments: SegmentStore;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
  readonly gcPlans: GcPlanStore;
  readonly reader: StateReader;
}
