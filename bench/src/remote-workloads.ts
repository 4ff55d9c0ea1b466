// The workloads the S3 and Azure groups share, so both backends run the same ones: the large
// upload (same size, part/block size and parts in flight for every client), the 5,000-key
// list, a bounded pool for the floors' parallel requests and the seeding, and the 1 GiB
// streaming source of the peak-memory groups.
import type { Fs } from "@fusio/core";

export const MiB: number = 1024 * 1024;
/** The large upload of the speed groups. */
export const LARGE_UPLOAD: number = 256 * MiB;
/** Part (S3) / block (Azure) size of every large upload, speed and memory groups alike. */
export const PART_SIZE: number = 8 * MiB;
/** Parts (blocks) in flight at once per upload. */
export const IN_FLIGHT = 4;
/** Keys seeded once and listed by the list groups. */
export const LIST_COUNT = 5000;
/** DESIGN.md's bound on a streaming upload's memory: partSize x (concurrency + 1) + 64 MiB. */
export const UPLOAD_MEMORY_BOUND: number = PART_SIZE * (IN_FLIGHT + 1) + 64 * MiB;

/** `size` bytes of a repeating 0..255 pattern. */
export function pattern(size: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < Math.min(size, 256); i++) data[i] = i;
  for (let filled = 256; filled < size; filled *= 2) data.copyWithin(filled, 0, Math.min(filled, size - filled));
  return data;
}

/** Runs `work(0..count-1)` with at most `concurrency` calls in flight; rejects on the first failure. */
export async function pool(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * Writes `data` to `path` through `fs` with one `writeAll` (the whole buffer, as the floor and
 * the SDKs get it), then closes. Streaming in small writes is the peak-memory groups' workload.
 */
export async function writeWhole(fs: Fs, path: string, data: Uint8Array): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: true });
  await file.writeAll(data);
  await file.close();
}

/** Fails unless a list saw exactly LIST_COUNT entries. */
export function expectListed(seen: number): void {
  if (seen !== LIST_COUNT) throw new Error(`listed ${seen} of ${LIST_COUNT}`);
}

/** Counts the entries of a recursive fusio list of `prefix`. */
export async function countList(fs: Fs, prefix: string): Promise<number> {
  let seen = 0;
  for await (const _ of fs.list(prefix, { recursive: true })) seen++;
  return seen;
}

/**
 * `size` bytes as a stream of fresh 1 MiB Buffers (each a new one, as from a socket or a file
 * stream: the Azure SDK's uploadStream wants Buffers), so no client can keep the whole object
 * or reuse the caller's buffer.
 */
export async function* streamOf(size: number): AsyncGenerator<Buffer> {
  const template = pattern(MiB);
  for (let offset = 0, n = 0; offset < size; offset += MiB, n++) {
    const chunk = Buffer.from(template.subarray(0, Math.min(MiB, size - offset)));
    chunk[0] = n & 0xff;
    yield chunk;
  }
}
