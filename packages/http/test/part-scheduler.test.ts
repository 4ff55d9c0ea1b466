import { FusioError } from "@fusio/core";
import { PartScheduler, type PartUpload } from "@fusio/http/part-scheduler";
import { describe, expect, it } from "vitest";

const context = { op: "test" };

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

/** Records every part and the peak number in flight; each upload waits until released. */
function recorder(options: { hold?: boolean; fail?: number } = {}) {
  const parts = new Map<number, Uint8Array>();
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  let peak = 0;
  let aborted = 0;
  return {
    parts,
    peak: () => peak,
    aborted: () => aborted,
    waiting,
    release(): void {
      for (const wake of waiting.splice(0)) wake();
    },
    async upload(part: PartUpload): Promise<string> {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        if (options.hold) {
          await new Promise<void>((resolve, reject) => {
            waiting.push(resolve);
            part.signal.addEventListener("abort", () => {
              aborted++;
              reject(part.signal.reason);
            });
          });
        } else {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        if (part.number === options.fail) throw new FusioError("Io", "part failed", context);
        parts.set(part.number, part.data.slice());
        return `etag-${part.number}`;
      } finally {
        inFlight--;
      }
    },
  };
}

describe("PartScheduler", () => {
  it("cuts fixed-size parts in order, the last one shorter, and returns results in part order", async () => {
    const record = recorder();
    const progress: number[] = [];
    const scheduler = new PartScheduler({
      partSize: 10,
      concurrency: 2,
      uploadPart: (part) => record.upload(part),
      onProgress: (uploaded) => progress.push(uploaded),
      context,
    });
    const data = bytes(47, 3);
    for (let offset = 0; offset < data.length; offset += 7) await scheduler.write(data.subarray(offset, offset + 7));
    expect(await scheduler.finish()).toEqual(["etag-1", "etag-2", "etag-3", "etag-4", "etag-5"]);
    expect([...record.parts.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...record.parts.values()].map((part) => part.length)).toEqual(expect.arrayContaining([10, 10, 10, 10, 7]));
    const joined = Uint8Array.from([1, 2, 3, 4, 5].flatMap((n) => [...(record.parts.get(n) as Uint8Array)]));
    expect(joined).toEqual(data);
    expect(record.peak()).toBeLessThanOrEqual(2);
    expect(progress.at(-1)).toBe(47);
  });

  it("recycles part buffers: a large upload allocates at most concurrency + 1 whole parts, and no growth step past half a part", async () => {
    const partSize = 256 * 1024;
    const seen = new Set<ArrayBufferLike>();
    const allocated: number[] = [];
    const scheduler = new PartScheduler({
      partSize,
      concurrency: 3,
      context,
      uploadPart: async (part) => {
        seen.add(part.data.buffer);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return part.number;
      },
    });
    const data = bytes(40 * partSize, 1);
    // A counting allocator: the scheduler's `new Uint8Array(length)` calls, while it runs.
    const Native = globalThis.Uint8Array;
    globalThis.Uint8Array = class extends Native {
      constructor(...args: unknown[]) {
        super(...(args as [number]));
        if (typeof args[0] === "number" && args[0] > 0) allocated.push(args[0]);
      }
    } as unknown as Uint8ArrayConstructor;
    try {
      // Most of a part at once (how S3File hands over what it buffered), then small writes.
      await scheduler.write(data.subarray(0, partSize - 1000));
      for (let offset = partSize - 1000; offset < data.length; offset += 8000) {
        await scheduler.write(data.subarray(offset, offset + 8000));
      }
      expect(await scheduler.finish()).toHaveLength(40);
    } finally {
      globalThis.Uint8Array = Native;
    }
    expect(allocated).toEqual([partSize, partSize, partSize, partSize]);
    expect(seen.size).toBeLessThanOrEqual(4);
  });

  it("small objects never start a part: takeBuffered hands the bytes back", async () => {
    const record = recorder();
    const scheduler = new PartScheduler({ partSize: 100, concurrency: 2, uploadPart: record.upload, context });
    await scheduler.write(bytes(30, 1));
    await scheduler.write(bytes(20, 2));
    expect(scheduler.partsStarted).toBe(0);
    expect(scheduler.buffered).toBe(50);
    const taken = scheduler.takeBuffered();
    expect(taken).toEqual(Uint8Array.from([...bytes(30, 1), ...bytes(20, 2)]));
    expect(scheduler.buffered).toBe(0);
  });

  it("applies back-pressure: a write waits while `concurrency` parts are in flight", async () => {
    const record = recorder({ hold: true });
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 2, uploadPart: record.upload, context });
    await scheduler.write(bytes(8, 0)); // two full parts start
    expect(scheduler.inFlight).toBe(2);
    let done = false;
    const third = scheduler.write(bytes(8, 1)).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(scheduler.buffered).toBe(4); // one part buffered, waiting for a slot
    expect(record.peak()).toBe(2);
    record.release();
    await third;
    record.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    record.release();
    const finishing = scheduler.finish();
    const wake = setInterval(() => record.release(), 2);
    expect(await finishing).toEqual(["etag-1", "etag-2", "etag-3", "etag-4"]);
    clearInterval(wake);
    expect(record.peak()).toBe(2);
  });

  it("concurrent unawaited writes are applied in call order", async () => {
    const record = recorder();
    const scheduler = new PartScheduler({ partSize: 5, concurrency: 3, uploadPart: record.upload, context });
    const chunks = Array.from({ length: 9 }, (_, i) => bytes(3, i));
    await Promise.all(chunks.map((chunk) => scheduler.write(chunk)));
    await scheduler.finish();
    const joined = Uint8Array.from(
      [...record.parts.keys()].sort((a, b) => a - b).flatMap((n) => [...(record.parts.get(n) as Uint8Array)]),
    );
    expect(joined).toEqual(Uint8Array.from(chunks.flatMap((chunk) => [...chunk])));
  });

  it("the first failure aborts the other uploads and every later call rejects with it", async () => {
    const record = recorder({ fail: 2 });
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 4, uploadPart: record.upload, context });
    await scheduler.write(bytes(16, 0));
    const error = await scheduler.finish().catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Io")).toBe(true);
    await expect(scheduler.write(bytes(1, 0))).rejects.toBe(error);
    await expect(scheduler.drain()).rejects.toBe(error);
  });

  it("abort stops parts in flight and waits for them", async () => {
    const record = recorder({ hold: true });
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 3, uploadPart: record.upload, context });
    await scheduler.write(bytes(12, 0));
    expect(scheduler.inFlight).toBe(3);
    await scheduler.abort();
    expect(scheduler.inFlight).toBe(0);
    expect(record.aborted()).toBe(3);
    await expect(scheduler.write(bytes(1, 0))).rejects.toMatchObject({ kind: "Aborted" });
  });

  it("drain waits for full parts and keeps the tail buffered", async () => {
    const record = recorder();
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 2, uploadPart: record.upload, context });
    await scheduler.write(bytes(10, 0));
    await scheduler.drain();
    expect(scheduler.inFlight).toBe(0);
    expect(record.parts.size).toBe(2);
    expect(scheduler.buffered).toBe(2);
  });

  it("a write of more whole parts than can be in flight sends them all uncopied and resolves once they are stored", async () => {
    const partSize = 4;
    const views: number[] = [];
    const settled = new Set<number>();
    let inFlight = 0;
    let peak = 0;
    const data = bytes(5 * partSize + 2, 7);
    const stored = new Map<number, Uint8Array>();
    const scheduler = new PartScheduler({
      partSize,
      concurrency: 2,
      context,
      uploadPart: async (part) => {
        if (part.data.buffer === data.buffer) views.push(part.number);
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5 + 5 * part.number));
        stored.set(part.number, part.data.slice());
        inFlight--;
        settled.add(part.number);
        return part.number;
      },
    });
    await scheduler.write(data);
    // Every whole part came from the caller's bytes and is stored; only the 2-byte tail is a copy.
    expect(views).toEqual([1, 2, 3, 4, 5]);
    expect([...settled].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(scheduler.buffered).toBe(2);
    data.fill(0); // the caller reuses its buffer: the buffered tail is unaffected
    expect(await scheduler.finish()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBeLessThanOrEqual(2);
    const joined = Uint8Array.from([1, 2, 3, 4, 5, 6].flatMap((n) => [...(stored.get(n) as Uint8Array)]));
    expect(joined).toEqual(bytes(5 * partSize + 2, 7));
  });

  it("a lent part is never recycled as a part buffer", async () => {
    const partSize = 4;
    const data = bytes(3 * partSize, 1);
    const original = data.slice();
    const scheduler = new PartScheduler({ partSize, concurrency: 1, context, uploadPart: async (part) => part.number });
    await scheduler.write(data); // parts 1 to 3 lent
    const more = bytes(3 * partSize, 2);
    for (let i = 0; i < more.length; i++) await scheduler.write(more.subarray(i, i + 1)); // copied
    expect(await scheduler.finish()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(data).toEqual(original);
  });

  it("a write aborted after taking some bytes fails the upload, once the parts reading those bytes have settled", async () => {
    const record = recorder({ hold: true });
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 1, uploadPart: record.upload, context });
    const controller = new AbortController();
    const writing = scheduler.write(bytes(12, 0), controller.signal); // part 1 lent, part 2 waits for a slot
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(scheduler.inFlight).toBe(1);
    controller.abort();
    await expect(writing).rejects.toMatchObject({ kind: "Aborted" });
    expect(scheduler.inFlight).toBe(0);
    expect(record.aborted()).toBe(1);
    await expect(scheduler.write(bytes(1, 0))).rejects.toMatchObject({ kind: "Aborted" });
    expect(() => scheduler.takeBuffered()).toThrow(FusioError);
    await expect(scheduler.finish()).rejects.toMatchObject({ kind: "Aborted" });
  });

  it("a write aborted before taking any bytes has no effect on the upload", async () => {
    const record = recorder();
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 1, uploadPart: record.upload, context });
    await scheduler.write(bytes(6, 1));
    await expect(scheduler.write(bytes(6, 2), AbortSignal.abort())).rejects.toMatchObject({ kind: "Aborted" });
    await scheduler.write(bytes(2, 3));
    expect(await scheduler.finish()).toEqual(["etag-1", "etag-2"]);
    expect(record.parts.get(2)).toEqual(Uint8Array.from([...bytes(6, 1).subarray(4), ...bytes(2, 3)]));
  });

  it("a write with an aborted signal rejects Aborted; bad options reject InvalidArgument", async () => {
    const scheduler = new PartScheduler({ partSize: 4, concurrency: 1, uploadPart: async () => "x", context });
    await expect(scheduler.write(bytes(2, 0), AbortSignal.abort())).rejects.toMatchObject({ kind: "Aborted" });
    expect(() => new PartScheduler({ partSize: 0, concurrency: 1, uploadPart: async () => "x", context })).toThrow(
      FusioError,
    );
    expect(() => new PartScheduler({ partSize: 1, concurrency: 0, uploadPart: async () => "x", context })).toThrow(
      FusioError,
    );
  });
});
