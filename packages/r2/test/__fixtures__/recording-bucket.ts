import type { R2BucketLike, R2ListOptionsLike, R2PutOptionsLike } from "@fusio/r2";

/** What went through a {@link recording} bucket. */
export interface BindingLog {
  puts: { key: string; size: number; options: R2PutOptionsLike | undefined }[];
  parts: { key: string; partNumber: number; size: number }[];
  multipartStarted: string[];
  completed: string[];
  aborted: string[];
  /** The most part uploads that were in flight at once. */
  maxInFlight: number;
}

/** Hooks that slow calls down or make them fail, to reach the writer's failure paths. */
export interface BindingFaults {
  /** Runs before a part is handed to the real binding; throw to fail that part. */
  beforePart?: (partNumber: number) => Promise<void> | void;
  /** Forces small list pages, to cross page boundaries with few keys. */
  listLimit?: number;
}

/**
 * The real binding (from Miniflare), with every call passed through unchanged and logged, and
 * optional faults injected in front of it.
 */
export function recording(bucket: R2BucketLike, faults: BindingFaults = {}): { bucket: R2BucketLike; log: BindingLog } {
  const log: BindingLog = { puts: [], parts: [], multipartStarted: [], completed: [], aborted: [], maxInFlight: 0 };
  let inFlight = 0;
  const wrapped: R2BucketLike = {
    head: (key) => bucket.head(key),
    get: (key, options) => bucket.get(key, options),
    delete: (keys) => bucket.delete(keys),
    put(key, value, options) {
      log.puts.push({ key, size: value?.length ?? 0, options });
      return bucket.put(key, value, options);
    },
    list(options?: R2ListOptionsLike) {
      return bucket.list(faults.listLimit === undefined ? options : { ...options, limit: faults.listLimit });
    },
    async createMultipartUpload(key, options) {
      log.multipartStarted.push(key);
      const upload = await bucket.createMultipartUpload(key, options);
      return {
        key: upload.key,
        uploadId: upload.uploadId,
        async uploadPart(partNumber, value) {
          log.parts.push({ key, partNumber, size: value.length });
          inFlight++;
          log.maxInFlight = Math.max(log.maxInFlight, inFlight);
          try {
            await faults.beforePart?.(partNumber);
            return await upload.uploadPart(partNumber, value);
          } finally {
            inFlight--;
          }
        },
        async abort() {
          log.aborted.push(key);
          return upload.abort();
        },
        async complete(parts) {
          log.completed.push(key);
          return upload.complete(parts);
        },
      };
    },
  };
  return { bucket: wrapped, log };
}
