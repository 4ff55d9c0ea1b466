// Cross-check with an engine no one here wrote: DuckDB reads what the sink wrote, and the source
// reads what DuckDB wrote.
//
// DuckDB reads local files only. Until this package tests on @fusio/node, the file is written
// through the sink into a MemoryFs and its bytes are then copied to a temporary file with
// node:fs (and the reverse for DuckDB's own file).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { MemoryFs } from "@fusio/memory";
import { openParquetSink, openParquetSource } from "@fusio/parquet";
import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { parquetWrite } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columns, ROW_GROUP, ROWS, rows } from "./data.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fusio-parquet-duckdb-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
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

describe("DuckDB", () => {
  it("reads the rows and aggregates of a file written through parquetSink", async () => {
    const data = rows();
    const fs = new MemoryFs();
    const sink = await openParquetSink(fs, "events.parquet");
    await parquetWrite({ writer: sink, columnData: columns(data), rowGroupSize: ROW_GROUP });
    const file = await fs.open("events.parquet");
    const local = join(dir, "events.parquet");
    await writeFile(local, await file.readToEndAt(0));
    await file.close();

    const path = local.replaceAll("'", "''");
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

  it("writes a file that parquetSource reads back row for row", async () => {
    const local = join(dir, "duck.parquet").replaceAll("'", "''");
    await query(
      `COPY (SELECT i::INTEGER AS id, 'n' || (i % 50)::VARCHAR AS name, i * 0.25 AS score
             FROM range(25000) t(i))
       TO '${local}' (FORMAT parquet, ROW_GROUP_SIZE 10000, COMPRESSION snappy)`,
    );
    const fs = new MemoryFs();
    const writer = await fs.open("duck.parquet", { create: true });
    await writer.writeAll(await readFile(join(dir, "duck.parquet")));
    await writer.close();

    await using source = await openParquetSource(fs, "duck.parquet");
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
