// When hyparquet-writer throws part way, an aborted (or disposed) sink leaves nothing behind: no
// partial file on local disk or in memory, no open multipart upload on S3 (Ceph RGW), and the
// file handle closed. An empty file given to openParquetSource fails with a FusioError.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type File, type Fs, FusioError, type HttpClient, type HttpRequest, type HttpResponse } from "@fusio/core";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { MemoryFs } from "@fusio/memory";
import { NodeFs } from "@fusio/node";
import { openParquetSink, openParquetSource } from "@fusio/parquet";
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { openUploads } from "@fusio-internal/test-support/s3-open-uploads";
import type { ColumnSource } from "hyparquet-writer";
import { parquetWrite } from "hyparquet-writer";
import { afterAll, describe, expect, inject, it } from "vitest";
import { columns, type Row, rows } from "./data.ts";

const server = inject("s3");
const prefix = `parquet-failure-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const temporary: string[] = [];
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
  await undici.close();
});

/**
 * The table's columns, with the row groups from `failAt` on unreadable: hyparquet-writer throws
 * there, after the row groups before it went to the sink.
 */
function failingColumns(data: Row[], failAt: number): ColumnSource[] {
  const all = columns(data);
  const first = all[0] as ColumnSource;
  const values = first.data as Int32Array;
  const failing = Object.assign(Int32Array.from(values), {
    slice(start?: number, end?: number): Int32Array {
      if ((start ?? 0) >= failAt) throw new Error("the writer failed part way");
      return values.slice(start, end);
    },
  });
  return [{ ...first, data: failing }, ...all.slice(1)];
}

/** What `openParquetSink` uses of `fs`, remembering the files it opens. */
function watched(fs: Fs): { fs: Fs; opened: File[] } {
  const opened: File[] = [];
  const wrapper = {
    capabilities: fs.capabilities,
    open: async (...args: Parameters<Fs["open"]>) => {
      const file = await fs.open(...args);
      opened.push(file);
      return file;
    },
    remove: (...args: Parameters<Fs["remove"]>) => fs.remove(...args),
  };
  return { fs: wrapper as unknown as Fs, opened };
}

interface Backend {
  name: string;
  create(): Promise<Fs>;
  /** Rows and row-group size: on S3 the row groups outgrow a part, so the multipart upload has begun. */
  rows: number;
  rowGroup: number;
  payload: number;
  /** The requests sent, as `METHOD query-names` (S3 only). */
  requests?: string[];
}

/** The S3 requests of the tests, recorded on their way to the real client. */
const s3Requests: string[] = [];
const undici = new UndiciHttpClient();
const recording: HttpClient = {
  send(request: HttpRequest): Promise<HttpResponse> {
    s3Requests.push(`${request.method} ${[...new URL(request.url).searchParams.keys()].sort().join(",")}`.trim());
    return undici.send(request);
  },
};

const backends: Backend[] = [
  { name: "MemoryFs", create: async () => new MemoryFs(), rows: 3_000, rowGroup: 1_000, payload: 40 },
  {
    name: "NodeFs",
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), "fusio-parquet-failure-"));
      temporary.push(root);
      return new NodeFs({ root });
    },
    rows: 3_000,
    rowGroup: 1_000,
    payload: 40,
  },
  {
    name: "S3Fs (Ceph RGW)",
    create: async () =>
      new S3Fs({
        bucket: server.bucket,
        region: server.region,
        endpoint: server.endpoint,
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
        ...(server.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
        partSize: 5 * 1024 * 1024,
        http: recording,
      }),
    // About 6 MiB per row group: the first part is uploaded before the writer fails.
    rows: 36_000,
    rowGroup: 12_000,
    payload: 512,
    requests: s3Requests,
  },
];

describe.each(backends)("a parquet writer that throws part way, on $name", (backend) => {
  it("abort() closes the file and leaves none (and no open upload)", async () => {
    backend.requests?.splice(0);
    const real = await backend.create();
    const { fs, opened } = watched(real);
    const key = `${prefix}/${backend.name.split(" ")[0]}-abort.parquet`;
    const data = rows(backend.rows, backend.payload);
    const sink = await openParquetSink(fs, key);
    await expect(
      parquetWrite({
        writer: sink,
        columnData: failingColumns(data, 2 * backend.rowGroup),
        rowGroupSize: backend.rowGroup,
      }),
    ).rejects.toThrow("the writer failed part way");
    // Two row groups reached the file before the failure.
    expect(sink.offset).toBeGreaterThan(0);
    await sink.abort();
    await expect(real.stat(key)).rejects.toSatisfy((error) => FusioError.is(error, "NotFound"));
    expect(await openUploads(server, prefix)).toEqual([]);
    // On S3 the multipart upload had begun, and was aborted.
    if (backend.requests !== undefined) {
      expect(backend.requests.filter((request) => request === "POST uploads").length).toBe(1);
      expect(backend.requests).toContain("DELETE uploadId");
    }
    await expect(opened[0]?.writeAll(new Uint8Array(1))).rejects.toSatisfy((error) => FusioError.is(error, "Closed"));
    // Aborting again, or finishing after it, publishes nothing.
    await sink.abort();
    await expect(sink.finish()).rejects.toSatisfy((error) => FusioError.is(error, "Closed"));
    await expect(real.stat(key)).rejects.toSatisfy((error) => FusioError.is(error, "NotFound"));
  });

  it("`await using` aborts a sink the writer did not finish, and keeps one it finished", async () => {
    const real = await backend.create();
    const { fs, opened } = watched(real);
    const failed = `${prefix}/${backend.name.split(" ")[0]}-using.parquet`;
    const finished = `${prefix}/${backend.name.split(" ")[0]}-finished.parquet`;
    const data = rows(backend.rows, backend.payload);
    await expect(
      (async () => {
        await using sink = await openParquetSink(fs, failed);
        await parquetWrite({
          writer: sink,
          columnData: failingColumns(data, 2 * backend.rowGroup),
          rowGroupSize: backend.rowGroup,
        });
      })(),
    ).rejects.toThrow("the writer failed part way");
    await expect(real.stat(failed)).rejects.toSatisfy((error) => FusioError.is(error, "NotFound"));
    expect(await openUploads(server, prefix)).toEqual([]);
    await expect(opened[0]?.writeAll(new Uint8Array(1))).rejects.toSatisfy((error) => FusioError.is(error, "Closed"));
    {
      await using sink = await openParquetSink(fs, finished);
      await parquetWrite({ writer: sink, columnData: columns(data.slice(0, 100)) });
    }
    expect((await real.stat(finished)).size).toBeGreaterThan(0);
    await real.remove(finished);
  });

  it("an empty file is not a parquet file: openParquetSource rejects InvalidArgument", async () => {
    const fs = await backend.create();
    const key = `${prefix}/${backend.name.split(" ")[0]}-empty.parquet`;
    await (await fs.open(key, { create: true, truncate: true })).close();
    await expect(openParquetSource(fs, key)).rejects.toSatisfy((error) => FusioError.is(error, "InvalidArgument"));
    await fs.remove(key);
  });
});
