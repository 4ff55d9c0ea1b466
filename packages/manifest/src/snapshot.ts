/**
 * A consistent point in the manifest's history: the state after transaction `txnId`.
 * Read sessions read exactly this state, however many commits follow.
 */
export interface Snapshot {
  /** HEAD's tag when the snapshot was taken; undefined for a manifest without HEAD. */
  readonly headTag: string | undefined;
  /** The newest transaction included; 0 for an empty manifest. */
  readonly txnId: number;
  /** The newest segment included. */
  readonly lastSegmentSeq: number | undefined;
  /** The newest segment folded into {@link Snapshot.checkpointId}. */
  readonly checkpointSeq: number | undefined;
  /** The checkpoint reads start from. */
  readonly checkpointId: string | undefined;
}

/** A key range: `start` included, `end` excluded; either may be left open. */
export interface KeyRange {
  start?: string | undefined;
  end?: string | undefined;
}

/**
 * Orders keys by Unicode code point, the order of Rust's `String` (UTF-8 bytes), so a range
 * selects the same keys in both implementations. (`<` on JS strings compares UTF-16 units.)
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a code point above U+FFFF) sorts after every BMP unit above it.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
    return x - y;
  }
  return a.length - b.length;
}

/** Whether `key` lies in `range`. */
export function inRange(key: string, range: KeyRange | undefined): boolean {
  if (range === undefined) return true;
  if (range.start !== undefined && compareKeys(key, range.start) < 0) return false;
  if (range.end !== undefined && compareKeys(key, range.end) >= 0) return false;
  return true;
}
