/** A byte range `[start, end)`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** One read that serves several requested ranges. */
export interface CoalescedRead<T extends ByteRange> extends ByteRange {
  members: T[];
}

/**
 * Groups ranges into reads: ranges that overlap, touch, or lie at most `gap` bytes apart share
 * one read, as long as the read stays within `maxRead` bytes (a single range longer than that
 * is still read whole). Reads come out in file order.
 */
export function coalesce<T extends ByteRange>(ranges: readonly T[], gap: number, maxRead: number): CoalescedRead<T>[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const reads: CoalescedRead<T>[] = [];
  for (const range of sorted) {
    const last = reads[reads.length - 1];
    if (last && range.start <= last.end + gap && Math.max(last.end, range.end) - last.start <= maxRead) {
      last.end = Math.max(last.end, range.end);
      last.members.push(range);
    } else {
      reads.push({ start: range.start, end: range.end, members: [range] });
    }
  }
  return reads;
}
