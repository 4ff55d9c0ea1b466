// The table the parquet tests write and read: several row groups, four types, some nulls, and a
// wide text column between `id` and `score` so that a projection of those two has a gap to merge.
import type { ColumnSource } from "hyparquet-writer";

export const ROWS = 30_000;
export const ROW_GROUP = 10_000;

export interface Row {
  id: number;
  name: string | null;
  payload: string;
  score: number;
  flag: boolean;
}

function word(i: number, length: number): string {
  let out = "";
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < length; k++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out += String.fromCharCode(97 + (x % 26));
  }
  return out;
}

/** `count` rows; `payloadLength` sets the width of the text column (the S3 test widens it). */
export function rows(count = ROWS, payloadLength = 40): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    name: i % 97 === 0 ? null : `name-${i % 1000}`,
    payload: word(i, payloadLength),
    score: i * 0.5 - 1000,
    flag: i % 3 === 0,
  }));
}

export function columns(data: Row[]): ColumnSource[] {
  return [
    { name: "id", data: Int32Array.from(data, (row) => row.id), type: "INT32", nullable: false },
    { name: "name", data: data.map((row) => row.name), type: "STRING" },
    { name: "payload", data: data.map((row) => row.payload), type: "STRING", nullable: false },
    { name: "score", data: Float64Array.from(data, (row) => row.score), type: "DOUBLE", nullable: false },
    { name: "flag", data: data.map((row) => row.flag), type: "BOOLEAN", nullable: false },
  ];
}
