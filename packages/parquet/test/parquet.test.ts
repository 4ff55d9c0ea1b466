import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Fs, FusioError, type Write } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { openParquetSink, openParquetSource, parquetSink, parquetSource } from "@fusio/parquet";
import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { parquetWrite, parquetWriteRows } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { type CountingFile, openCounting } from "./counting.ts";
import { columns, ROW_GROUP, ROWS, type Row, rows } from "./data.ts";

const KiB = 1024;

async function writeTable(fs: Fs, path: string, data: Row[] = rows()): Promise<CountingFile> {
  const file = await openCounting(fs, path, { create: true, truncate: true });
  await parquetWrite({ writer: parquetSink(file), columnData: columns(data), rowGroupSize: ROW_GROUP });
  return file;
}

// The same file written and read on each backend. S3 has its own file (s3.test.ts): its row
// groups must outgrow a 5 MiB part, and it counts the HTTP requests too.
const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});
const backends: Array<[string, () => Promise<Fs>]> = [
  ["MemoryFs", async () => new MemoryFs()],
  [
    "NodeFs",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "fusio-parquet-"));
      temporary.push(root);
      return new NodeFs({ root });
    },
  ],
];

describe.each(backends)("parquetSink and parquetSource on %s", (_, create) => {
  it("streams a multi-row-group file into the fusio file, one write per row group plus the footer", async () => {
    const fs = await create();
    const file = await writeTable(fs, "t.parquet");
    const size = (await fs.stat("t.parquet")).size;
    expect(file.writes.length).toBe(ROWS / ROW_GROUP + 1);
    expect(file.writes.reduce((a, b) => a + b, 0)).toBe(size);
    // Never the whole file in one buffer: the largest write is one row group.
    expect(Math.max(...file.writes)).toBeLessThan(size / 2);
    const source = await openParquetSource(fs, "t.parquet");
    const metadata = await parquetMetadataAsync(source);
    expect(metadata.row_groups.length).toBe(3);
    expect(Number(metadata.num_rows)).toBe(ROWS);
    await source.close();
  });

  it("openParquetSink creates the file, which appears complete when the writer finishes", async () => {
    const fs = await create();
    const data = rows(2_500);
    const sink = await openParquetSink(fs, "dir/out.parquet");
    await parquetWrite({ writer: sink, columnData: columns(data), rowGroupSize: 1_000 });
    expect(sink.offset).toBe((await fs.stat("dir/out.parquet")).size);
    await expect(Promise.resolve().then(() => sink.appendUint8(1))).rejects.toSatisfy((error) =>
      FusioError.is(error, "Closed"),
    );
    await using source = await openParquetSource(fs, "dir/out.parquet");
    expect(await parquetReadObjects({ file: source })).toEqual(data);
  });

  it("reads back every row hyparquet-writer wrote through the sink", async () => {
    const fs = await create();
    const data = rows();
    await writeTable(fs, "all.parquet", data);
    await using source = await openParquetSource(fs, "all.parquet");
    const read = await parquetReadObjects({ file: source });
    expect(read.length).toBe(ROWS);
    expect(read).toEqual(data);
  });

  it("reading the metadata costs one read (default prefetch, and a custom one passed as initialFetchSize)", async () => {
    const fs = await create();
    await writeTable(fs, "meta.parquet");
    const size = (await fs.stat("meta.parquet")).size;
    expect(size).toBeGreaterThan(512 * KiB);
    for (const footerPrefetch of [undefined, 64 * KiB]) {
      const file = await openCounting(fs, "meta.parquet");
      const source = await parquetSource(file, { footerPrefetch });
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: source.footerPrefetch });
      expect(metadata.row_groups.length).toBe(3);
      expect(file.reads.length).toBe(1);
      expect(file.reads[0]).toEqual({ start: size - (footerPrefetch ?? 512 * KiB), end: size });
      expect(file.sizeCalls).toBe(1);
      await file.close();
    }
  });

  it("a projection of one row group reads at most one range per column chunk, and one after coalescing", async () => {
    const fs = await create();
    const data = rows();
    await writeTable(fs, "proj.parquet", data);
    const size = (await fs.stat("proj.parquet")).size;
    const expected = data.slice(ROW_GROUP, 2 * ROW_GROUP).map(({ id, score }) => ({ id, score }));
    const reads: number[] = [];
    for (const coalesceGap of [0, 1024 * KiB]) {
      const file = await openCounting(fs, "proj.parquet");
      const source = await parquetSource(file, { footerPrefetch: 16 * KiB, coalesceGap });
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: 16 * KiB });
      expect(file.reads.length).toBe(1);
      const before = file.reads.length;
      const read = await parquetReadObjects({
        file: source,
        metadata,
        columns: ["id", "score"],
        rowStart: ROW_GROUP,
        rowEnd: 2 * ROW_GROUP,
      });
      expect(read).toEqual(expected);
      reads.push(file.reads.length - before);
      // Only the two chunks (and, coalesced, the payload between them): never the whole file.
      expect(file.bytesRead).toBeLessThan(size / 2);
      for (const range of file.reads) expect(range.end - range.start).toBeLessThan(size);
      await file.close();
    }
    // Two column chunks touched (id, score; the wide payload and name lie between them).
    expect(reads[0]).toBeLessThanOrEqual(2);
    expect(reads[0]).toBe(2);
    expect(reads[1]).toBe(1);
  });

  it("issues the reads of a scan concurrently, bounded by concurrency", async () => {
    const fs = await create();
    await writeTable(fs, "scan.parquet");
    for (const [concurrency, bound] of [
      [8, 8],
      [1, 1],
    ] as const) {
      const file = await openCounting(fs, "scan.parquet");
      const source = await parquetSource(file, { footerPrefetch: 16 * KiB, coalesceGap: 0, concurrency });
      await parquetReadObjects({ file: source, columns: ["id", "score"] });
      expect(file.maxInFlight).toBeLessThanOrEqual(bound);
      if (concurrency > 1) expect(file.maxInFlight).toBeGreaterThan(1);
      await file.close();
    }
  });

  it("a file smaller than the prefetch is read once, metadata and data", async () => {
    const fs = await create();
    const data = rows(500);
    await writeTable(fs, "small.parquet", data);
    const file = await openCounting(fs, "small.parquet");
    const source = await parquetSource(file);
    expect(await parquetReadObjects({ file: source })).toEqual(data);
    expect(file.reads.length).toBe(1);
    await file.close();
  });
});

describe("parquetSink and parquetSource: options, bounds and failures", () => {
  it("streams rows pulled from an async generator: memory holds one row group, not the file", async () => {
    const fs = new MemoryFs();
    const file = await openCounting(fs, "rows.parquet", { create: true, truncate: true });
    async function* generate(): AsyncGenerator<Row> {
      for (const row of rows(50_000)) yield row;
    }
    await parquetWriteRows({
      writer: parquetSink(file),
      rows: generate(),
      columns: columns([]).map(({ data: _, ...column }) => column),
      rowGroupSize: 5_000,
    });
    const size = (await fs.stat("rows.parquet")).size;
    expect(file.writes.length).toBe(11);
    expect(Math.max(...file.writes)).toBeLessThan(size / 5);
    await using source = await openParquetSource(fs, "rows.parquet");
    const read = await parquetReadObjects({ file: source, columns: ["id"], rowStart: 49_998 });
    expect(read).toEqual([{ id: 49_998 }, { id: 49_999 }]);
  });

  it("refills one buffer once the target is done with its bytes, instead of a new one per row group", async () => {
    const fs = new MemoryFs();
    const file = await openCounting(fs, "reused.parquet", { create: true, truncate: true });
    const sink = parquetSink(file, { initialBufferSize: 4 * 1024 * KiB });
    await parquetWrite({ writer: sink, columnData: columns(rows()), rowGroupSize: ROW_GROUP });
    expect(file.writes.length).toBe(ROWS / ROW_GROUP + 1);
    expect(new Set(file.writeBuffers).size).toBe(1);
    await using source = await openParquetSource(fs, "reused.parquet");
    expect(await parquetReadObjects({ file: source, columns: ["id"], rowStart: ROWS - 1 })).toEqual([{ id: ROWS - 1 }]);
  });

  it("bytes appended before a flush settled do not overwrite the bytes that flush handed on", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("unawaited.bin", { create: true, truncate: true });
    // A target that takes its time: it holds `data` until its write settles.
    const slow: Write = {
      writeAll: async (data, options) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await file.writeAll(data, options);
      },
      flush: (options) => file.flush(options),
      close: (options) => file.close(options),
    };
    const sink = parquetSink(slow, { initialBufferSize: 16 });
    sink.appendBytes(Uint8Array.of(1, 2, 3));
    const first = sink.flush();
    sink.appendBytes(Uint8Array.of(4, 5));
    await Promise.all([first, sink.finish()]);
    await using read = await fs.open("unawaited.bin");
    expect(await read.readToEndAt(0)).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
  });

  it("a signal that fires during the write stops it with Aborted", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("aborted.parquet", { create: true, truncate: true });
    const controller = new AbortController();
    const sink = parquetSink(file, { signal: controller.signal });
    const flush = sink.flush.bind(sink);
    let flushes = 0;
    sink.flush = () => {
      if (++flushes === 2) controller.abort();
      return flush();
    };
    await expect(
      parquetWrite({ writer: sink, columnData: columns(rows(5_000)), rowGroupSize: 1_000 }),
    ).rejects.toSatisfy((error) => FusioError.is(error, "Aborted"));
    expect(flushes).toBe(2);
  });

  it("close: false leaves the target open; getBuffer and getBytes are Unsupported", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("open.parquet", { create: true });
    const sink = parquetSink(file, { close: false, initialBufferSize: 16 });
    await parquetWrite({ writer: sink, columnData: columns(rows(10)) });
    await file.writeAll(new Uint8Array(0));
    await file.close();
    expect(() => sink.getBuffer()).toThrow(FusioError);
    expect(() => sink.getBytes()).toThrow(FusioError);
    expect(() => parquetSink(file, { initialBufferSize: 0 })).toThrow(FusioError);
  });

  it("a failing target makes the parquet write reject with the target's error", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("ro.parquet", { create: true });
    await file.close();
    const readOnly = await fs.open("ro.parquet");
    await expect(
      parquetWrite({ writer: parquetSink(readOnly), columnData: columns(rows(3_000)), rowGroupSize: 1_000 }),
    ).rejects.toSatisfy((error) => FusioError.is(error, "PermissionDenied"));
  });

  it("slices that straddle the prefetched tail read only the part before it", async () => {
    const fs = new MemoryFs();
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
    const writer = await fs.open("raw.bin", { create: true });
    await writer.writeAll(bytes);
    await writer.close();
    const file = await openCounting(fs, "raw.bin");
    const source = await parquetSource(file, { footerPrefetch: 1_000 });
    expect([...new Uint8Array(await source.slice(8_500, 9_500))]).toEqual([...bytes.subarray(8_500, 9_500)]);
    expect(file.reads).toEqual([
      { start: 9_000, end: 10_000 },
      { start: 8_500, end: 9_000 },
    ]);
    expect([...new Uint8Array(await source.slice(9_990))]).toEqual([...bytes.subarray(9_990)]);
    expect((await source.slice(5, 5)).byteLength).toBe(0);
    expect(file.reads.length).toBe(2);
    await expect(source.slice(-1, 4)).rejects.toSatisfy((error) => FusioError.is(error, "InvalidArgument"));
    await expect(source.slice(5, 4)).rejects.toSatisfy((error) => FusioError.is(error, "InvalidArgument"));
    await expect(source.slice(0, 10_001)).rejects.toSatisfy((error) => FusioError.is(error, "UnexpectedEof"));
    await file.close();
  });

  it("a fired signal rejects Aborted; bad options reject InvalidArgument", async () => {
    const fs = new MemoryFs();
    await writeTable(fs, "abort.parquet", rows(100));
    const file = await fs.open("abort.parquet");
    await expect(parquetSource(file, { signal: AbortSignal.abort() })).rejects.toSatisfy((error) =>
      FusioError.is(error, "Aborted"),
    );
    const controller = new AbortController();
    const source = await parquetSource(file, { footerPrefetch: 0, signal: controller.signal });
    controller.abort();
    await expect(source.slice(0, 4)).rejects.toSatisfy((error) => FusioError.is(error, "Aborted"));
    for (const options of [{ footerPrefetch: -1 }, { coalesceGap: 1.5 }, { concurrency: 0 }, { maxCoalescedRead: 0 }]) {
      await expect(parquetSource(file, options)).rejects.toSatisfy((error) => FusioError.is(error, "InvalidArgument"));
    }
    await file.close();
    await expect(openParquetSource(fs, "missing.parquet")).rejects.toSatisfy((error) =>
      FusioError.is(error, "NotFound"),
    );
  });
});
