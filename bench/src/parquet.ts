// @fusio/parquet against hyparquet's and hyparquet-writer's own local-file helpers, and against
// hyparquet on an in-memory ArrayBuffer (the adapter's own cost). Same file, same rows.
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { openParquetSink, openParquetSource } from "@fusio/parquet";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { type ColumnSource, parquetWrite, parquetWriteFile } from "hyparquet-writer";
import type { BenchGroup } from "./harness.ts";

const ROWS = 30_000;

function table(): ColumnSource[] {
  const ids = Int32Array.from({ length: ROWS }, (_, i) => i);
  return [
    { name: "id", data: ids, type: "INT32", nullable: false },
    { name: "name", data: Array.from(ids, (i) => `name-${i % 1000}`), type: "STRING" },
    { name: "payload", data: Array.from(ids, (i) => `${(i * 2654435761) >>> 0}`.repeat(4)), type: "STRING" },
    { name: "score", data: Float64Array.from(ids, (i) => i * 0.5), type: "DOUBLE", nullable: false },
    { name: "flag", data: Array.from(ids, (i) => i % 3 === 0), type: "BOOLEAN", nullable: false },
  ];
}

export async function parquetGroups(): Promise<BenchGroup[]> {
  const root = mkdtempSync(join(tmpdir(), "fusio-bench-parquet-"));
  process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  const fs = new NodeFs({ root });
  const columnData = table();
  const sink = await openParquetSink(fs, "table.parquet");
  await parquetWrite({ writer: sink, columnData, rowGroupSize: 10_000 });
  const local = join(root, "table.parquet");
  const bytes = await readFile(local);
  const memory = new MemoryFs();
  const writer = await memory.open("table.parquet", { create: true });
  await writer.writeAll(bytes);
  await writer.close();
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const inMemory = {
    byteLength: arrayBuffer.byteLength,
    slice: async (start: number, end?: number) => arrayBuffer.slice(start, end),
  };
  const projection = { columns: ["id", "score"], rowStart: 10_000, rowEnd: 20_000 };
  let n = 0;

  return [
    {
      title: `parquet: open + read all ${ROWS} rows (5 columns, 3 row groups, ${(bytes.length / 2 ** 20).toFixed(1)} MiB), local disk`,
      baseline: "hyparquet asyncBufferFromFile",
      defaultCase: "@fusio/parquet on NodeFs",
      opsPerRound: 8,
      cases: [
        {
          name: "hyparquet asyncBufferFromFile",
          op: async () => parquetReadObjects({ file: await asyncBufferFromFile(local) }),
        },
        {
          name: "@fusio/parquet on NodeFs",
          op: async () => {
            await using source = await openParquetSource(fs, "table.parquet");
            return await parquetReadObjects({ file: source });
          },
        },
      ],
    },
    {
      title: "parquet: open + read 2 columns of 1 row group, local disk",
      baseline: "hyparquet asyncBufferFromFile",
      defaultCase: "@fusio/parquet on NodeFs",
      opsPerRound: 40,
      cases: [
        {
          name: "hyparquet asyncBufferFromFile",
          op: async () => parquetReadObjects({ file: await asyncBufferFromFile(local), ...projection }),
        },
        {
          name: "@fusio/parquet on NodeFs",
          op: async () => {
            await using source = await openParquetSource(fs, "table.parquet");
            return await parquetReadObjects({ file: source, ...projection });
          },
        },
      ],
    },
    {
      title: "parquet: open + read 2 columns of 1 row group, in memory (the adapter's own cost)",
      baseline: "hyparquet on an ArrayBuffer (bare)",
      defaultCase: "@fusio/parquet on MemoryFs",
      opsPerRound: 40,
      cases: [
        { name: "hyparquet on an ArrayBuffer (bare)", op: () => parquetReadObjects({ file: inMemory, ...projection }) },
        {
          name: "@fusio/parquet on MemoryFs",
          op: async () => {
            await using source = await openParquetSource(memory, "table.parquet");
            return await parquetReadObjects({ file: source, ...projection });
          },
        },
      ],
    },
    {
      title: `parquet: write ${ROWS} rows in 3 row groups, local disk`,
      baseline: "hyparquet-writer parquetWriteFile",
      defaultCase: "@fusio/parquet ParquetSink on NodeFs",
      opsPerRound: 6,
      // Five rounds of a 60 ms operation moved the median by ±10% from one run to the next.
      rounds: 12,
      unit: "MB/s",
      cases: [
        {
          name: "hyparquet-writer parquetWriteFile",
          unitsPerOp: bytes.length,
          op: async () =>
            parquetWriteFile({ filename: join(root, `w${n++ % 4}.parquet`), columnData, rowGroupSize: 10_000 }),
        },
        {
          name: "@fusio/parquet ParquetSink on NodeFs",
          unitsPerOp: bytes.length,
          op: async () =>
            parquetWrite({
              writer: await openParquetSink(fs, `s${n++ % 4}.parquet`),
              columnData,
              rowGroupSize: 10_000,
            }),
        },
      ],
    },
  ];
}
