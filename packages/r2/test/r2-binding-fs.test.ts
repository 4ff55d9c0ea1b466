import { bytes } from "@fusio/conformance";
import { type FileMeta, FusioError, Path } from "@fusio/core";
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { startMiniflare } from "@fusio-internal/test-support/miniflare";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BindingFaults, recording } from "./__fixtures__/recording-bucket.ts";
import { PART_SIZE } from "./__fixtures__/settings.ts";

// What the conformance suite cannot see: how R2BindingFs uses the binding (equal parts,
// bounded concurrency, aborts, guarded appends, list order across pages), on Miniflare's R2.
let miniflare: Miniflare | undefined;
let real: R2BucketLike;
let run = 0;

beforeAll(async () => {
  ({ miniflare, bucket: real } = await startMiniflare<R2BucketLike>());
});

afterAll(async () => {
  await miniflare?.dispose();
});

const encode = (value: string): Uint8Array => new TextEncoder().encode(value);

function setup(faults: BindingFaults = {}, concurrency = 2) {
  const { bucket, log } = recording(real, faults);
  const fs = new R2BindingFs(bucket, { partSize: PART_SIZE, concurrency });
  const base = Path.parse(`behaviour-${++run}`);
  return { fs, log, at: (name: string) => base.join(name), base };
}

async function readAll(fs: R2BindingFs, path: Path): Promise<Uint8Array> {
  const file = await fs.open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(FusioError.is(error) ? error.kind : `not rejected: ${String(error)}`).toBe(kind);
}

/** Where two byte arrays first differ, or "same" (vitest's toEqual is slow on megabytes). */
function difference(actual: Uint8Array, expected: Uint8Array): string {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) return `byte ${i} differs`;
  return "same";
}

function gate(): { wait: Promise<void>; open(): void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe("multipart writer", () => {
  it("non-final parts all have partSize, the last is shorter, and at most `concurrency` upload at once", async () => {
    const { fs, log, at } = setup();
    const data = bytes(2 * PART_SIZE + PART_SIZE / 2 + 17, 3);
    const file = await fs.open(at("big.bin"), { create: true, truncate: true });
    for (let offset = 0; offset < data.length; offset += 999_983) {
      await file.writeAll(data.subarray(offset, offset + 999_983));
    }
    await file.close();
    expect(log.parts.map((part) => part.size)).toEqual([PART_SIZE, PART_SIZE, PART_SIZE / 2 + 17]);
    expect(log.parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    expect(log.maxInFlight).toBeLessThanOrEqual(2);
    expect(log.completed).toEqual([at("big.bin").raw]);
    expect(log.puts).toEqual([]);
    expect(difference(await readAll(fs, at("big.bin")), data)).toBe("same");
  });

  it("onProgress reports the bytes stored after each part and once the object is published", async () => {
    const seen: { loaded: number; path: string }[] = [];
    const fs = new R2BindingFs(real, { partSize: PART_SIZE, concurrency: 1, onProgress: (p) => seen.push(p) });
    const path = Path.parse(`behaviour-${++run}/progress.bin`);
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(2 * PART_SIZE + 3, 2));
    await file.close();
    expect(seen).toEqual([
      { loaded: PART_SIZE, path: path.raw },
      { loaded: 2 * PART_SIZE, path: path.raw },
      { loaded: 2 * PART_SIZE + 3, path: path.raw },
    ]);
  });

  it("with concurrency 1, parts upload one after the other", async () => {
    const { fs, log, at } = setup({}, 1);
    const file = await fs.open(at("serial.bin"), { create: true, truncate: true });
    await file.writeAll(bytes(3 * PART_SIZE + 1, 5));
    await file.close();
    expect(log.parts.map((part) => part.size)).toEqual([PART_SIZE, PART_SIZE, PART_SIZE, 1]);
    expect(log.maxInFlight).toBe(1);
  });

  it("a file smaller than one part is one put, with no multipart upload", async () => {
    const { fs, log, at } = setup();
    const file = await fs.open(at("small.bin"), { create: true, truncate: true });
    await file.writeAll(bytes(PART_SIZE - 1, 2));
    await file.close();
    expect(log.multipartStarted).toEqual([]);
    expect(log.puts.map((put) => put.size)).toEqual([PART_SIZE - 1]);
  });

  it("a failing part aborts the multipart upload, rejects, and publishes nothing", async () => {
    const { fs, log, at } = setup({
      beforePart(partNumber) {
        if (partNumber === 2)
          throw new Error("uploadPart: We encountered an internal error. Please try again. (10001)");
      },
    });
    const path = at("failing.bin");
    const file = await fs.open(path, { create: true, truncate: true });
    const written = file.writeAll(bytes(3 * PART_SIZE, 1)).then(
      () => "resolved",
      (error: unknown) => (FusioError.is(error) ? error.kind : "other"),
    );
    // The failure shows on the write that meets it, or at the latest on close.
    const outcome = await written;
    expect(["resolved", "Remote"]).toContain(outcome);
    await rejectsWith(file.close(), "Remote");
    expect(log.aborted).toEqual([path.raw]);
    expect(log.completed).toEqual([]);
    await rejectsWith(fs.stat(path), "NotFound");
  });

  it("close with an aborted signal after parts went up aborts the upload and publishes nothing", async () => {
    const { fs, log, at } = setup();
    const path = at("discard.bin");
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(2 * PART_SIZE + 10, 4));
    await rejectsWith(file.close({ signal: AbortSignal.abort() }), "Aborted");
    expect(log.aborted).toEqual([path.raw]);
    expect(log.completed).toEqual([]);
    await rejectsWith(fs.stat(path), "NotFound");
    await rejectsWith(file.writeAll(encode("x")), "Closed");
  });

  it("a writeAll aborted while waiting for a part slot rejects Aborted, and the file can only be discarded", async () => {
    const slot = gate();
    const { fs, log, at } = setup({ beforePart: () => slot.wait }, 1);
    const path = at("aborted-write.bin");
    const file = await fs.open(path, { create: true, truncate: true });
    const controller = new AbortController();
    const writing = file.writeAll(bytes(3 * PART_SIZE, 6), { signal: controller.signal });
    while (log.parts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await rejectsWith(writing, "Aborted");
    slot.open();
    await rejectsWith(file.writeAll(encode("more")), "Aborted");
    await rejectsWith(file.close(), "Aborted");
    expect(log.aborted).toEqual([path.raw]);
    await rejectsWith(fs.stat(path), "NotFound");
  });
});

describe("append", () => {
  it("re-uploads the existing bytes in equal parts, then the new ones, keeping headers and metadata", async () => {
    const { fs, log, at } = setup();
    const path = at("grow.bin");
    const first = bytes(PART_SIZE + PART_SIZE / 2 + 3, 8);
    await real.put(path.raw, first, {
      httpMetadata: { contentType: "application/x-test" },
      customMetadata: { owner: "fusio" },
    });
    const file = await fs.open(path, { write: true });
    expect(await file.size()).toBe(first.length);
    const tail = bytes(PART_SIZE, 9);
    await file.writeAll(tail);
    expect(await file.size()).toBe(first.length + tail.length);
    await file.close();
    expect(log.parts.map((part) => part.size)).toEqual([PART_SIZE, PART_SIZE, PART_SIZE / 2 + 3]);
    const all = await readAll(fs, path);
    expect(difference(all.subarray(0, first.length), first)).toBe("same");
    expect(difference(all.subarray(first.length), tail)).toBe("same");
    const head = await real.head(path.raw);
    expect(head?.httpMetadata?.contentType).toBe("application/x-test");
    expect(head?.customMetadata).toEqual({ owner: "fusio" });
  });

  it("appending nothing to a large object downloads and uploads nothing", async () => {
    const { fs, log, at } = setup();
    const path = at("untouched.bin");
    const stored = await real.put(path.raw, bytes(PART_SIZE + 1, 4));
    const file = await fs.open(path, { write: true });
    await file.writeAll(new Uint8Array(0));
    await file.flush();
    await file.close();
    expect(log.multipartStarted).toEqual([]);
    expect(log.puts).toEqual([]);
    expect((await real.head(path.raw))?.etag).toBe(stored?.etag);
  });

  it("a small append is one put guarded by the etag it read", async () => {
    const { fs, log, at } = setup();
    const path = at("guarded.txt");
    const stored = await real.put(path.raw, encode("base"));
    const file = await fs.open(path, { write: true });
    await file.writeAll(encode("+more"));
    await file.close();
    expect(log.puts.map((put) => put.options?.onlyIf)).toEqual([{ etagMatches: stored?.etag }]);
    expect(new TextDecoder().decode(await readAll(fs, path))).toBe("base+more");
  });

  it("when the object is replaced before the append is published, close rejects PreconditionFailed and keeps the other write", async () => {
    const { fs, at } = setup();
    const path = at("race.txt");
    await real.put(path.raw, encode("base"));
    const file = await fs.open(path, { write: true });
    await file.writeAll(encode("+mine"));
    await real.put(path.raw, encode("theirs"));
    await rejectsWith(file.close(), "PreconditionFailed");
    expect(new TextDecoder().decode(await readAll(fs, path))).toBe("theirs");
  });

  it("when the object is replaced before the first append, the write rejects PreconditionFailed", async () => {
    const { fs, log, at } = setup();
    const path = at("early-race.bin");
    await real.put(path.raw, bytes(PART_SIZE + 1, 1));
    const file = await fs.open(path, { write: true });
    await real.put(path.raw, encode("theirs"));
    await rejectsWith(file.writeAll(bytes(PART_SIZE, 2)), "PreconditionFailed");
    await rejectsWith(file.close(), "PreconditionFailed");
    expect(log.completed).toEqual([]);
    expect(new TextDecoder().decode(await readAll(fs, path))).toBe("theirs");
  });
});

describe("list", () => {
  const shape = (base: Path, entries: FileMeta[]): string[] =>
    entries.map((entry) => `${(entry.path.prefixMatch(base) ?? []).join("/")}${entry.isDirectory ? "/" : ""}`);

  for (const limit of [1, 2, 3, 1000]) {
    it(`merges common prefixes into path order across pages of ${limit}`, async () => {
      const { fs, at, base } = setup({ listLimit: limit });
      // In R2's byte order `a.b/` and `a/` come after `a-c`, and `c/` after `c.txt`.
      for (const name of ["a-c", "a.b/x", "a/x", "b", "c.txt", "c/d", "c/e/f"])
        await real.put(at(name).raw, encode(name));
      const entries: FileMeta[] = [];
      for await (const entry of fs.list(base)) entries.push(entry);
      expect(shape(base, entries)).toEqual(["a/", "a-c", "a.b/", "b", "c/", "c.txt"]);
      const all: FileMeta[] = [];
      for await (const entry of fs.list(base, { recursive: true })) all.push(entry);
      expect(shape(base, all)).toEqual(["a-c", "a.b/x", "a/x", "b", "c.txt", "c/d", "c/e/f"]);
    });
  }

  it("skips keys that are not fusio paths and directory marker objects", async () => {
    const { fs, at, base } = setup();
    await real.put(`${base.raw}/ok`, encode("1"));
    await real.put(`${base.raw}/bad//key`, encode("2"));
    await real.put(`${base.raw}/marker/`, new Uint8Array(0));
    const all: string[] = [];
    for await (const entry of fs.list(base, { recursive: true })) all.push(entry.path.raw);
    expect(all).toEqual([at("ok").raw]);
  });
});

describe("CAS, copy and options", () => {
  it("putConditional stores the content type and metadata; tags are R2's bare etags", async () => {
    const { fs, at } = setup();
    const path = at("cas.json");
    const tag = await fs.putConditional(
      path,
      encode("{}"),
      { ifNotExists: true },
      {
        contentType: "application/json",
        metadata: { writer: "test" },
      },
    );
    const head = await real.head(path.raw);
    expect(tag).toBe(head?.etag);
    expect(tag.includes('"')).toBe(false);
    expect((await fs.stat(path)).etag).toBe(tag);
    expect(head?.httpMetadata?.contentType).toBe("application/json");
    expect(head?.customMetadata).toEqual({ writer: "test" });
    await rejectsWith(fs.putConditional(path, encode("x"), { ifMatch: `"${tag}"` }), "PreconditionFailed");
    expect((await fs.loadWithTag(path))?.tag).toBe(tag);
  });

  it("copy keeps headers and metadata, and copies large objects in equal parts", async () => {
    const { fs, log, at } = setup();
    const data = bytes(2 * PART_SIZE + 5, 12);
    await real.put(at("from.bin").raw, data, { httpMetadata: { contentType: "x/y" }, customMetadata: { a: "1" } });
    await fs.copy(at("from.bin"), at("to.bin"));
    expect(log.parts.map((part) => part.size)).toEqual([PART_SIZE, PART_SIZE, 5]);
    expect(difference(await readAll(fs, at("to.bin")), data)).toBe("same");
    const head = await real.head(at("to.bin").raw);
    expect(head?.httpMetadata?.contentType).toBe("x/y");
    expect(head?.customMetadata).toEqual({ a: "1" });
  });

  it("a large copy aborted midway aborts its upload and leaves the destination as it was", async () => {
    const slot = gate();
    const { fs, log, at } = setup({ beforePart: () => slot.wait }, 1);
    await real.put(at("source.bin").raw, bytes(3 * PART_SIZE, 13));
    await real.put(at("target.bin").raw, encode("old"));
    const controller = new AbortController();
    const copying = fs.copy(at("source.bin"), at("target.bin"), { signal: controller.signal });
    while (log.parts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    slot.open();
    await rejectsWith(copying, "Aborted");
    expect(log.aborted).toEqual([at("target.bin").raw]);
    expect(log.completed).toEqual([]);
    expect(new TextDecoder().decode(await readAll(fs, at("target.bin")))).toBe("old");
  });

  it("rejects a part size R2 cannot take, a bad concurrency and a value that is not a binding", () => {
    const invalid = (make: () => unknown): void => {
      let error: unknown;
      try {
        make();
      } catch (caught) {
        error = caught;
      }
      expect(FusioError.is(error, "InvalidArgument")).toBe(true);
    };
    invalid(() => new R2BindingFs(real, { partSize: 5 * 1024 * 1024 - 1 }));
    invalid(() => new R2BindingFs(real, { partSize: 5 * 1024 * 1024 * 1024 + 1 }));
    invalid(() => new R2BindingFs(real, { concurrency: 0 }));
    invalid(() => new R2BindingFs({} as R2BucketLike));
  });

  it("two Fs on the same binding share an id; an explicit id wins", () => {
    expect(new R2BindingFs(real).id).toBe(new R2BindingFs(real).id);
    expect(new R2BindingFs(real, { id: "r2:my-bucket" }).id).toBe("r2:my-bucket");
  });
});
