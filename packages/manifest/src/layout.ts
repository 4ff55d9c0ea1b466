// Object keys under a manifest prefix, spelled exactly as Rust fusio-manifest spells them so
// both implementations can share one manifest.

/** Zero-padded to 20 digits, the width of a u64, so keys sort in numeric order. */
export function pad20(value: number): string {
  return String(value).padStart(20, "0");
}

/** Joins a prefix (possibly empty) and a relative key. */
export function joinKey(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}/${key}`;
}

/** The keys of one manifest rooted at `prefix`. */
export class Layout {
  /** The prefix without trailing slashes; `""` is the root of the Fs. */
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix.replace(/\/+$/, "").replace(/^\/+/, "");
  }

  /** `HEAD.json`. */
  get head(): string {
    return joinKey(this.prefix, "HEAD.json");
  }

  /** The directory holding segments. */
  get segmentsDir(): string {
    return joinKey(this.prefix, "segments");
  }

  /** `segments/seg-<seq:020>.json`. */
  segment(seq: number): string {
    return `${this.segmentsDir}/seg-${pad20(seq)}.json`;
  }

  /** The directory holding checkpoints. */
  get checkpointsDir(): string {
    return joinKey(this.prefix, "checkpoints");
  }

  /** `checkpoints/<id>.json`, the payload. */
  checkpointData(id: string): string {
    return `${this.checkpointsDir}/${id}.json`;
  }

  /** `checkpoints/<id>.meta.json`. */
  checkpointMeta(id: string): string {
    return `${this.checkpointsDir}/${id}.meta.json`;
  }

  /** The directory holding leases. */
  get leasesDir(): string {
    return joinKey(this.prefix, "leases");
  }

  /** `leases/<id>.json`. */
  lease(id: string): string {
    return `${this.leasesDir}/${id}.json`;
  }

  /** `gc/GARBAGE`, the shared GC plan. */
  get gcPlan(): string {
    return joinKey(this.prefix, "gc/GARBAGE");
  }
}

/** The sequence number in a segment file name (`seg-00000000000000000007.json` -> 7). */
export function parseSegmentSeq(filename: string): number | undefined {
  const match = /^seg-(\d+)\.json$/.exec(filename);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `ckpt-<lsn:020>`, the id of the checkpoint taken at transaction `lsn`. */
export function checkpointId(lsn: number): string {
  return `ckpt-${pad20(lsn)}`;
}

/** The transaction a checkpoint id was taken at, or undefined for a foreign name. */
export function checkpointLsn(id: string): number | undefined {
  const match = /^ckpt-(\d+)$/.exec(id);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
