/**
 * How long old state is kept. The defaults are Rust fusio-manifest's `DefaultRetention`;
 * docs/manifest-retention.md explains how to choose them.
 */
export interface RetentionPolicy {
  /** The newest this many checkpoints are never deleted. Default 2. */
  checkpointsKeepLast: number;
  /** A checkpoint younger than this is never deleted. Default 60 000 ms. */
  checkpointsMinTtlMs: number;
  /** A GC plan waits this long between being computed and deleting segments. Default 30 000 ms. */
  segmentsMinTtlMs: number;
  /** How long a session's lease lasts without a heartbeat. Default 60 000 ms. */
  leaseTtlMs: number;
}

/** Keep the last 2 checkpoints and any younger than 60 s, segments 30 s, leases 60 s. */
export const defaultRetention: Readonly<RetentionPolicy> = Object.freeze({
  checkpointsKeepLast: 2,
  checkpointsMinTtlMs: 60_000,
  segmentsMinTtlMs: 30_000,
  leaseTtlMs: 60_000,
});
