// Cross-check with an engine no one here wrote: DuckDB reads the file the sink wrote through
// NodeFs onto local disk, and the source reads, through NodeFs, the file DuckDB wrote.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { NodeFs } from "@fusio/node";
import { openParquetSink, openParquetSource } from "@fusio/parquet";
import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { parquetWrite } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columns, ROW_GROUP, ROWS, rows } from "./data.ts";

let root: string;
let fs: NodeFs;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "fusio-parquet-duckdb-"));
  fs = new NodeFs({ root });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const sqlPath = (relative: string): string => join(root, relative).replaceAll("'", "''");

describe("DuckDB", () => {
  it("reads the rows and aggregates of a file written through parquetSink into NodeFs", async () => {
    const data = rows();
    const sink = await openParquetSink(fs, "out/events.parquet");
    await parquetWrite({ writer: sink, columnData: columns(data), rowGroupSize: ROW_GROUP });

    const path = sqlPath("out/events.parquet");
    const groups = await query(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${path}')`);
    expect(Number(groups[0]?.n)).toBe(ROWS / ROW_GROUP);
    const read = await query(`SELECT id, name, payload, score, flag FROM read_parquet('${path}') ORDER BY id`);
    expect(read).toEqual(data);
    const [aggregates] = await query(
      `SELECT count(*) AS rows, sum(id) AS ids, sum(score) AS scores, count(name) AS names,
              count(DISTINCT name) AS distinct_names, sum(CASE WHEN flag THEN 1 ELSE 0 END) AS flags
       FROM read_parquet('${path}')`,
    );
    expect(Number(aggregates?.rows)).toBe(ROWS);
    expect(Number(aggregates?.ids)).toBe(data.reduce((sum, row) => sum + row.id, 0));
    expect(Number(aggregates?.scores)).toBe(data.reduce((sum, row) => sum + row.score, 0));
    expect(Number(aggregates?.names)).toBe(data.filter((row) => row.name !== null).length);
    expect(Number(aggregates?.distinct_names)).toBe(new Set(data.map((row) => row.name).filter(Boolean)).size);
    expect(Number(aggregates?.flags)).toBe(data.filter((row) => row.flag).length);
  });

  it("writes a file that parquetSource reads back through NodeFs row for row", async () => {
    await fs.createDirAll("duck");
    await query(
      `COPY (SELECT i::INTEGER AS id, 'n' || (i % 50)::VARCHAR AS name, i * 0.25 AS score
             FROM range(25000) t(i))
       TO '${sqlPath("duck/data.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 10000, COMPRESSION snappy)`,
    );
    await using source = await openParquetSource(fs, "duck/data.parquet");
    const metadata = await parquetMetadataAsync(source);
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    const read = await parquetReadObjects({ file: source, metadata });
    expect(read.length).toBe(25_000);
    expect(read.every((row, i) => row.id === i && row.name === `n${i % 50}` && row.score === i * 0.25)).toBe(true);
    const projected = await parquetReadObjects({
      file: source,
      metadata,
      columns: ["score"],
      rowStart: 12_000,
      rowEnd: 12_003,
    });
    expect(projected).toEqual([{ score: 3000 }, { score: 3000.25 }, { score: 3000.5 }]);
  });
});

describe("codecs beyond snappy", () => {
  // DuckDB's own default is snappy, but zstd is the default of many other writers (Spark,
  // Polars, pyarrow's dataset writer). hyparquet decodes it with hyparquet-compressors' codecs.
  it.each(["zstd", "gzip", "brotli", "lz4_raw"])("reads a %s-compressed file DuckDB wrote", async (codec) => {
    const file = `duck/${codec}.parquet`;
    await fs.createDirAll("duck");
    await query(
      `COPY (SELECT i::INTEGER AS id, 'row ' || i::VARCHAR AS name FROM range(5000) t(i))
       TO '${sqlPath(file)}' (FORMAT parquet, ROW_GROUP_SIZE 2000, COMPRESSION ${codec})`,
    );
    const [written] = await query(`SELECT DISTINCT compression FROM parquet_metadata('${sqlPath(file)}')`);
    expect(String(written?.compression).toLowerCase()).toBe(codec);
    await using source = await openParquetSource(fs, file);
    const read = await parquetReadObjects({ file: source, compressors });
    expect(read.length).toBe(5000);
    expect(read.every((row, i) => row.id === i && row.name === `row ${i}`)).toBe(true);
  });
});
