// The sink and source on S3Fs against a real S3 server (the Ceph RGW that the shared test
// setup starts, or S3_ENDPOINT). The row groups are larger than the multipart part size, so
// the sink's writes go out as a multipart upload whose parts cut across row groups. Besides
// the File calls (CountingFile), every HTTP request is recorded by a pass-through wrapper
// around the real transport, so the request counts asserted here are the ones the server saw.
import type { HttpClient, HttpRequest, HttpResponse } from "@fusio/core";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { openParquetSource, parquetSink, parquetSource } from "@fusio/parquet";
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { parquetWrite } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CountingFile, openCounting } from "./counting.ts";
import { columns, type Row, rows } from "./data.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
/** The smallest part S3 allows; each row group below is larger. */
const PART_SIZE = 5 * MiB;
/** 3 row groups of 12 000 rows with a 512-byte text column: about 6 MiB each. */
const S3_ROWS = 36_000;
const S3_ROW_GROUP = 12_000;
const PAYLOAD = 512;

interface Recorded {
  method: string;
  /** The query parameter names, sorted (`partNumber,uploadId`, `uploads`, ...). */
  query: string;
  range: string | undefined;
}

/** Passes every request to the real client and records what it was. */
class RecordingHttp implements HttpClient {
  readonly inner: UndiciHttpClient = new UndiciHttpClient();
  requests: Recorded[] = [];

  send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    this.requests.push({
      method: request.method,
      query: [...url.searchParams.keys()].sort().join(","),
      range: request.headers.range,
    });
    return this.inner.send(request);
  }

  take(): Recorded[] {
    const taken = this.requests;
    this.requests = [];
    return taken;
  }
}

const server = inject("s3");
const http = new RecordingHttp();
const fs = new S3Fs({
  bucket: server.bucket,
  region: server.region,
  endpoint: server.endpoint,
  credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  ...(server.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
  http,
  partSize: PART_SIZE,
  concurrency: 2,
});
const prefix = `parquet-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const KEY = `${prefix}/events.parquet`;
const SMALL_KEY = `${prefix}/small.parquet`;

let data: Row[];
let written: CountingFile;
let writeRequests: Recorded[];
let size: number;

beforeAll(async () => {
  data = rows(S3_ROWS, PAYLOAD);
  http.take();
  // create + truncate: the handle replaces whatever is there, so open sends no HEAD.
  written = await openCounting(fs, KEY, { create: true, truncate: true });
  await parquetWrite({ writer: parquetSink(written), columnData: columns(data), rowGroupSize: S3_ROW_GROUP });
  writeRequests = http.take();
  size = (await fs.stat(KEY)).size;
  http.take();
});

afterAll(async () => {
  await fs.remove(KEY).catch(() => undefined);
  await fs.remove(SMALL_KEY).catch(() => undefined);
  await http.inner.close();
});

describe("parquetSink and parquetSource on S3Fs (Ceph RGW, part size below the row-group size)", () => {
  it("streams a multi-row-group file into a multipart upload: one write per row group, parts across them", () => {
    expect(written.writes.length).toBe(S3_ROWS / S3_ROW_GROUP + 1);
    expect(written.writes.reduce((a, b) => a + b, 0)).toBe(size);
    // Each row group is one write larger than a part, so no part lines up with a row group.
    for (const bytes of written.writes.slice(0, -1)) expect(bytes).toBeGreaterThan(PART_SIZE);
    expect(Math.max(...written.writes)).toBeLessThan(size / 2);
    // CreateMultipartUpload, one UploadPart per 5 MiB (the last one shorter), CompleteMultipartUpload;
    // no single PUT of the whole object and nothing else.
    const parts = Math.ceil(size / PART_SIZE);
    expect(parts).toBeGreaterThanOrEqual(4);
    expect(writeRequests[0]).toEqual({ method: "POST", query: "uploads", range: undefined });
    expect(writeRequests.filter((r) => r.method === "PUT" && r.query === "partNumber,uploadId").length).toBe(parts);
    expect(writeRequests.at(-1)).toEqual({ method: "POST", query: "uploadId", range: undefined });
    expect(writeRequests.length).toBe(parts + 2);
  });

  it("reads back every row hyparquet-writer wrote through the sink", async () => {
    await using source = await openParquetSource(fs, KEY);
    const metadata = await parquetMetadataAsync(source);
    expect(metadata.row_groups.length).toBe(3);
    expect(Number(metadata.num_rows)).toBe(S3_ROWS);
    const read = await parquetReadObjects({ file: source, metadata });
    expect(read.length).toBe(S3_ROWS);
    expect(read).toEqual(data);
  });

  it("reading the metadata costs the HEAD at open and one ranged GET (default prefetch, and a custom one)", async () => {
    expect(size).toBeGreaterThan(512 * KiB);
    for (const footerPrefetch of [undefined, 64 * KiB]) {
      http.take();
      const file = await openCounting(fs, KEY);
      const source = await parquetSource(file, { footerPrefetch });
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: source.footerPrefetch });
      expect(metadata.row_groups.length).toBe(3);
      const start = size - (footerPrefetch ?? 512 * KiB);
      // At the File level it is the same as on every backend: one size() and one read of the tail.
      expect(file.sizeCalls).toBe(1);
      expect(file.reads).toEqual([{ start, end: size }]);
      // On the wire, S3Fs.open needs a HEAD (to fail NotFound at open and learn the size), and
      // size() answers from that HEAD without a request; so metadata = HEAD + 1 ranged GET.
      expect(http.take()).toEqual([
        { method: "HEAD", query: "", range: undefined },
        { method: "GET", query: "", range: `bytes=${start}-${size - 1}` },
      ]);
      await file.close();
      expect(http.take()).toEqual([]);
    }
  });

  it("a projection of one row group issues one GET per column chunk, one after coalescing", async () => {
    const expected = data.slice(S3_ROW_GROUP, 2 * S3_ROW_GROUP).map(({ id, score }) => ({ id, score }));
    const gets: number[] = [];
    // The wide payload chunk (about 6 MiB) lies between id and score: a gap of 8 MiB merges them.
    for (const coalesceGap of [0, 8 * MiB]) {
      const file = await openCounting(fs, KEY);
      const source = await parquetSource(file, { footerPrefetch: 16 * KiB, coalesceGap });
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: 16 * KiB });
      http.take();
      const before = file.reads.length;
      const read = await parquetReadObjects({
        file: source,
        metadata,
        columns: ["id", "score"],
        rowStart: S3_ROW_GROUP,
        rowEnd: 2 * S3_ROW_GROUP,
      });
      expect(read).toEqual(expected);
      const requests = http.take();
      // Every File read is exactly one ranged GET, and nothing else goes over the wire.
      expect(requests.every((r) => r.method === "GET" && r.range !== undefined)).toBe(true);
      expect(requests.length).toBe(file.reads.length - before);
      gets.push(requests.length);
      expect(file.bytesRead).toBeLessThan(size / 2);
      await file.close();
    }
    expect(gets).toEqual([2, 1]);
  });

  it("issues the GETs of a scan concurrently, bounded by concurrency", async () => {
    for (const [concurrency, bound] of [
      [8, 8],
      [1, 1],
    ] as const) {
      const file = await openCounting(fs, KEY);
      const source = await parquetSource(file, { footerPrefetch: 16 * KiB, coalesceGap: 0, concurrency });
      // The metadata from the 16 KiB tail (without it hyparquet would ask for its own 512 KiB
      // tail, and the part before the prefetched 16 KiB would cost one more GET).
      const metadata = await parquetMetadataAsync(source, { initialFetchSize: 16 * KiB });
      http.take();
      const read = await parquetReadObjects({ file: source, metadata, columns: ["id", "score"] });
      expect(read.length).toBe(S3_ROWS);
      // Two column chunks in each of the three row groups, one GET each.
      expect(http.take().length).toBe(6);
      expect(file.maxInFlight).toBeLessThanOrEqual(bound);
      if (concurrency > 1) expect(file.maxInFlight).toBeGreaterThan(1);
      await file.close();
    }
  });

  it("a file smaller than the prefetch goes up in one PUT and is read with the HEAD and one GET", async () => {
    const small = rows(500);
    http.take();
    const sink = await openCounting(fs, SMALL_KEY, { create: true, truncate: true });
    await parquetWrite({ writer: parquetSink(sink), columnData: columns(small) });
    expect(http.take()).toEqual([{ method: "PUT", query: "", range: undefined }]);
    const smallSize = sink.writes.reduce((a, b) => a + b, 0);
    const file = await openCounting(fs, SMALL_KEY);
    const source = await parquetSource(file);
    expect(await parquetReadObjects({ file: source })).toEqual(small);
    expect(file.reads.length).toBe(1);
    expect(http.take()).toEqual([
      { method: "HEAD", query: "", range: undefined },
      { method: "GET", query: "", range: `bytes=0-${smallSize - 1}` },
    ]);
    await file.close();
  });
});
