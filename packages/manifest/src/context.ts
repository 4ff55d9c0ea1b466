import type { CasFs } from "@fusio/core";
import type { BackoffPolicy } from "./backoff.ts";
import type { Clock } from "./clock.ts";
import type { Layout } from "./layout.ts";
import type { RetentionPolicy } from "./retention.ts";

/** What every store and session of one manifest shares. */
export interface ManifestContext {
  readonly fs: CasFs;
  readonly layout: Layout;
  readonly clock: Clock;
  readonly backoff: BackoffPolicy;
  readonly retention: RetentionPolicy;
}
