import { parquetSink, parquetSource } from "@fusio/parquet";
import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { parquetWrite } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CountingRead } from "../src/counting-read.ts";
import { s3Fs, uniquePrefix } from "../src/remote.ts";

// A parquet file on S3, written and read from the page: the reads fetch only the byte ranges the
// query needs (the footer, then the column chunks asked for), never the whole object.
const ROWS = 20_000;
const ROW_GROUP = 5_000;
const KiB = 1024;
const fs = s3Fs();
const key = `${uniquePrefix("parquet")}/events.parquet`;
/** 100 letters that snappy cannot squeeze, so the payload column is most of the file. */
function payload(i: number): string {
  let out = "";
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < 100; k++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out += String.fromCharCode(97 + (x % 26));
  }
  return out;
}
let size = 0;

beforeAll(async () => {
  const file = await fs.open(key, { create: true, truncate: true });
  await parquetWrite({
    writer: parquetSink(file),
    columnData: [
      { name: "id", data: Int32Array.from({ length: ROWS }, (_, i) => i), type: "INT32", nullable: false },
      { name: "payload", data: Array.from({ length: ROWS }, (_, i) => payload(i)), type: "STRING", nullable: false },
      { name: "score", data: Float64Array.from({ length: ROWS }, (_, i) => i / 2), type: "DOUBLE", nullable: false },
    ],
    rowGroupSize: ROW_GROUP,
  });
  size = (await fs.stat(key)).size;
});

afterAll(() => fs.remove(key));

describe("@fusio/parquet with hyparquet on S3 from the page", () => {
  it("reads one column of one row group with a footer read and one ranged read, far less than the file", async () => {
    expect(size).toBeGreaterThan(1024 * KiB);
    const file = await fs.open(key);
    const counting = new CountingRead(file);
    try {
      const source = await parquetSource(counting, { footerPrefetch: 16 * KiB });
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: 16 * KiB });
      expect(metadata.row_groups.length).toBe(ROWS / ROW_GROUP);
      // The metadata came from the prefetched tail alone.
      expect(counting.ranges).toEqual([[size - 16 * KiB, size]]);

      const rows = await parquetReadObjects({
        file: source,
        metadata,
        columns: ["score"],
        rowStart: 2 * ROW_GROUP,
        rowEnd: 3 * ROW_GROUP,
      });
      expect(rows.length).toBe(ROW_GROUP);
      expect(rows[0]).toEqual({ score: ROW_GROUP });
      expect(rows.at(-1)).toEqual({ score: (3 * ROW_GROUP - 1) / 2 });

      // One more read: the score chunk of the third row group, inside the file and small.
      expect(counting.ranges.length).toBe(2);
      const [start, end] = counting.ranges[1] as [number, number];
      const chunk = metadata.row_groups[2]?.columns[2]?.meta_data;
      expect(start).toBe(Number(chunk?.dictionary_page_offset ?? chunk?.data_page_offset));
      expect(end - start).toBe(Number(chunk?.total_compressed_size));
      expect(counting.bytesRead).toBeLessThan(size / 8);
    } finally {
      await file.close();
    }
  });

  it("reads every row back as written", async () => {
    const file = await fs.open(key);
    try {
      const rows = await parquetReadObjects({ file: await parquetSource(file) });
      expect(rows.length).toBe(ROWS);
      expect(rows[12_345]).toEqual({ id: 12_345, payload: payload(12_345), score: 12_345 / 2 });
    } finally {
      await file.close();
    }
  });
});
