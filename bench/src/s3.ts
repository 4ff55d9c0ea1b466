// S3 against a Ceph RGW in the same run: fusio (its Node default UndiciHttpClient, and the
// portable FetchHttpClient) versus @aws-sdk/client-s3 (+ @aws-sdk/lib-storage for the large upload),
// with raw undici.request() + the native node:crypto SigV4 signer as the floor. Uses S3_ENDPOINT
// & co. when set, else a throwaway Ceph (servers.ts startS3) for the speed groups and another for
// the peak-memory group, each stopped after its last group (or at exit).
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { FetchHttpClient } from "@fusio/http/fetch-client";
import { UndiciHttpClient } from "@fusio/http/undici-client";
import { CEPH_PACIFIC_COMPAT, encodeKey, encodeQuery, S3Fs, type S3FsOptions } from "@fusio/s3";
import { nodeSigner } from "@fusio/s3/node-signer";
import { Agent, type Dispatcher, request } from "undici";
import type { BenchGroup } from "./harness.ts";
import type { MemoryGroup } from "./peak-memory.ts";
import {
  countList,
  expectListed,
  IN_FLIGHT,
  LARGE_UPLOAD,
  LIST_COUNT,
  MiB,
  PART_SIZE,
  pattern,
  pool,
  UPLOAD_MEMORY_BOUND,
  writeWhole,
} from "./remote-workloads.ts";
import { type S3Config, type Server, startS3 } from "./servers.ts";

const bucket = process.env.S3_BUCKET ?? "fusio-bench";

const SDK = "@aws-sdk/client-s3";
const SDK_UPLOAD = "@aws-sdk/client-s3 + @aws-sdk/lib-storage";
const FLOOR = "undici.request + node:crypto SigV4 (floor)";
const FUSIO_UNDICI = "S3Fs + undici (Node default)";
const FUSIO_FETCH = "S3Fs + fetch";

let shared: Promise<Server<S3Config>> | undefined;

/** The S3 server of this run, started at first use. */
function s3Server(): Promise<Server<S3Config>> {
  shared ??= startS3().then((server) => {
    if ("unavailable" in server) throw new Error(`S3 benchmark: ${server.unavailable}`);
    return server;
  });
  return shared;
}

async function stopS3Server(): Promise<void> {
  const server = shared;
  shared = undefined;
  await (await server?.catch(() => undefined))?.stop();
}

/** The options every S3Fs of the benchmark shares (RGW Pacific's quirks unless S3_ENDPOINT is another server). */
function fusioOptions(config: S3Config): S3FsOptions {
  const compat =
    process.env.S3_ENDPOINT && process.env.S3_COMPAT !== "ceph-pacific" ? {} : { compat: CEPH_PACIFIC_COMPAT };
  return {
    bucket,
    region: config.region,
    endpoint: config.endpoint,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...compat,
  };
}

/** The floor: one signed undici.request(), nothing else. Fails on an error status. */
class Floor {
  readonly #host: string;
  constructor(
    readonly config: S3Config,
    readonly dispatcher: Dispatcher,
  ) {
    this.#host = new URL(config.endpoint).host;
  }

  async send(
    method: "GET" | "PUT" | "POST",
    key: string,
    options: {
      query?: Record<string, string>;
      headers?: Record<string, string>;
      body?: Uint8Array;
      allow?: number;
    } = {},
  ): Promise<Dispatcher.ResponseData> {
    const path = `/${bucket}${key ? `/${encodeKey(key)}` : ""}`;
    const query = options.query ? encodeQuery(options.query) : "";
    const datetime = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
    const headers: Record<string, string> = {
      ...options.headers,
      "x-amz-date": datetime,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    };
    headers.authorization = nodeSigner.authorization({
      method,
      host: this.#host,
      path,
      query,
      headers,
      datetime,
      region: this.config.region,
      service: "s3",
      credentials: this.config,
    }) as string;
    const response = await request(`${this.config.endpoint}${path}${query ? `?${query}` : ""}`, {
      method,
      headers,
      body: options.body ?? null,
      dispatcher: this.dispatcher,
      reset: false,
    });
    if (response.statusCode >= 300 && response.statusCode !== options.allow) {
      const text = await response.body.text();
      throw new Error(`floor ${method} ${path}?${query}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
    return response;
  }

  /** CreateMultipartUpload, UploadPart x N (IN_FLIGHT at once), CompleteMultipartUpload. */
  async multipartUpload(key: string, data: Uint8Array): Promise<void> {
    const created = await (await this.send("POST", key, { query: { uploads: "" } })).body.text();
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)?.[1];
    if (uploadId === undefined) throw new Error(`floor: no UploadId in ${created.slice(0, 200)}`);
    const etags: string[] = [];
    await pool(Math.ceil(data.length / PART_SIZE), IN_FLIGHT, async (index) => {
      const part = await this.send("PUT", key, {
        query: { partNumber: String(index + 1), uploadId },
        body: data.subarray(index * PART_SIZE, (index + 1) * PART_SIZE),
      });
      etags[index] = String(part.headers.etag);
      await part.body.dump();
    });
    const parts = etags.map((etag, index) => `<Part><PartNumber>${index + 1}</PartNumber><ETag>${etag}</ETag></Part>`);
    const completed = await this.send("POST", key, {
      query: { uploadId },
      body: Buffer.from(`<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`),
    });
    // Complete can answer 200 with an <Error> body.
    const text = await completed.body.text();
    if (!text.includes("<CompleteMultipartUploadResult"))
      throw new Error(`floor: complete failed: ${text.slice(0, 200)}`);
  }

  /** ListObjectsV2 pages (1,000 keys each) with continuation tokens; each key and size. */
  async list(prefix: string): Promise<Array<{ key: string; size: number }>> {
    let token: string | undefined;
    const seen: Array<{ key: string; size: number }> = [];
    do {
      const query: Record<string, string> = { "list-type": "2", prefix };
      if (token !== undefined) query["continuation-token"] = token;
      const text = await (await this.send("GET", "", { query })).body.text();
      for (const [, key, size] of text.matchAll(/<Key>([^<]*)<\/Key>[\s\S]*?<Size>(\d+)<\/Size>/g)) {
        seen.push({ key: key as string, size: Number(size) });
      }
      token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1]?.replaceAll("&amp;", "&");
    } while (token !== undefined);
    return seen;
  }
}

export async function s3Groups(): Promise<BenchGroup[]> {
  const config = (await s3Server()).config;
  const sdk = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: config,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  // fusio's Node default (undici) on the same kind of kept-alive pool as the floor.
  const floorAgent = new Agent({ connections: 64 });
  const fusioAgent = new Agent({ connections: 64 });
  const options = { ...fusioOptions(config), partSize: PART_SIZE, concurrency: IN_FLIGHT };
  const fetchFs = new S3Fs({ ...options, http: new FetchHttpClient() });
  const undiciFs = new S3Fs({ ...options, http: new UndiciHttpClient({ dispatcher: fusioAgent }) });
  const floor = new Floor(config, floorAgent);
  // After the last group: the memory group (or the next run) starts a fresh server, so an idle Ceph
  // never runs beside the other groups and the 1 GiB uploads start on an empty OSD.
  const teardown = async () => {
    sdk.destroy();
    await Promise.allSettled([floorAgent.close(), fusioAgent.close()]);
    await stopS3Server();
  };

  // CreateBucket (an existing one of ours is fine).
  await (await floor.send("PUT", "", { allow: 409 })).body.dump();
  const object = "bench/object.bin";
  const size = 1024 * 1024;
  await (await floor.send("PUT", object, { body: pattern(size) })).body.dump();
  const fetchFile = await fetchFs.open(object);
  const undiciFile = await undiciFs.open(object);
  let seed = 7;
  const position = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (size / 4096 - 1)) * 4096;
  };
  const getCases = (concurrency: number) => [
    {
      name: FLOOR,
      concurrency,
      op: async () => {
        const pos = position();
        await (
          await floor.send("GET", object, { headers: { range: `bytes=${pos}-${pos + 4095}` } })
        ).body.arrayBuffer();
      },
    },
    {
      name: SDK,
      concurrency,
      op: async () => {
        const pos = position();
        const answer = await sdk.send(
          new GetObjectCommand({ Bucket: bucket, Key: object, Range: `bytes=${pos}-${pos + 4095}` }),
        );
        await answer.Body?.transformToByteArray();
      },
    },
    { name: FUSIO_FETCH, concurrency, op: () => fetchFile.readExactAt(new Uint8Array(4096), position()) },
    { name: FUSIO_UNDICI, concurrency, op: () => undiciFile.readExactAt(new Uint8Array(4096), position()) },
  ];

  const small = new Uint8Array(4096).fill(1);
  let n = 0;
  const putKey = () => `bench/put/${n++ % 256}`;
  const putThrough = async (fs: S3Fs) => {
    const file = await fs.open(putKey(), { create: true, truncate: true });
    await file.writeAll(small);
    await file.close();
  };

  const large = pattern(LARGE_UPLOAD);
  const largeKey = "bench/large.bin";

  // Seeded once per run (a fresh Ceph has none; on S3_ENDPOINT an earlier run's keys are rewritten).
  const listPrefix = "bench/list/";
  await pool(LIST_COUNT, 32, async (i) => {
    const answer = await floor.send("PUT", `${listPrefix}${String(i).padStart(5, "0")}`, { body: Uint8Array.of(1) });
    await answer.body.dump();
  });

  return [
    {
      title: "S3: 4 KiB ranged GET, 1 in flight",
      baseline: SDK,
      opsPerRound: 150,
      rounds: 3,
      cases: getCases(1),
    },
    {
      title: "S3: 4 KiB ranged GET, 16 in flight",
      baseline: SDK,
      opsPerRound: 400,
      rounds: 3,
      cases: getCases(16),
    },
    {
      title: "S3: 4 KiB PUT, 16 in flight",
      baseline: SDK,
      opsPerRound: 200,
      rounds: 3,
      cases: [
        {
          name: FLOOR,
          concurrency: 16,
          op: async () => (await floor.send("PUT", putKey(), { body: small })).body.dump(),
        },
        {
          name: SDK,
          concurrency: 16,
          op: () => sdk.send(new PutObjectCommand({ Bucket: bucket, Key: putKey(), Body: small })),
        },
        { name: FUSIO_FETCH, concurrency: 16, op: () => putThrough(fetchFs) },
        { name: FUSIO_UNDICI, concurrency: 16, op: () => putThrough(undiciFs) },
      ],
    },
    {
      title: `S3: 256 MiB multipart upload, ${PART_SIZE / MiB} MiB parts, ${IN_FLIGHT} in flight (MB/s)`,
      baseline: SDK_UPLOAD,
      opsPerRound: 1,
      rounds: 5,
      warmup: 1,
      unit: "MB/s",
      cases: [
        { name: FLOOR, op: () => floor.multipartUpload(largeKey, large) },
        {
          name: SDK_UPLOAD,
          op: () =>
            new Upload({
              client: sdk,
              params: { Bucket: bucket, Key: largeKey, Body: large },
              partSize: PART_SIZE,
              queueSize: IN_FLIGHT,
            }).done(),
        },
        { name: FUSIO_FETCH, op: () => writeWhole(fetchFs, largeKey, large) },
        { name: FUSIO_UNDICI, op: () => writeWhole(undiciFs, largeKey, large) },
      ].map((benchCase) => ({ ...benchCase, unitsPerOp: LARGE_UPLOAD })),
    },
    {
      title: "S3: list 5,000 keys (lists/s)",
      baseline: SDK,
      opsPerRound: 10,
      rounds: 5,
      warmup: 2,
      teardown,
      cases: [
        { name: FLOOR, op: async () => expectListed((await floor.list(listPrefix)).length) },
        {
          name: SDK,
          op: async () => {
            let token: string | undefined;
            let seen = 0;
            do {
              const page = await sdk.send(
                new ListObjectsV2Command({ Bucket: bucket, Prefix: listPrefix, ContinuationToken: token }),
              );
              seen += page.Contents?.length ?? 0;
              token = page.NextContinuationToken;
            } while (token);
            expectListed(seen);
          },
        },
        { name: FUSIO_FETCH, op: async () => expectListed(await countList(fetchFs, "bench/list")) },
        { name: FUSIO_UNDICI, op: async () => expectListed(await countList(undiciFs, "bench/list")) },
      ],
    },
  ];
}

/** Peak memory of a 1 GiB streaming upload, fusio (both clients) and lib-storage, each in its own process. */
export async function s3MemoryGroups(): Promise<MemoryGroup[]> {
  const config = (await s3Server()).config;
  const module = new URL("./upload-1gib.ts", import.meta.url).pathname;
  const args = { ...fusioOptions(config), key: "bench/memory-1gib.bin" };
  // The bucket may not exist yet when only the memory part runs.
  const floor = new Floor(config, new Agent());
  await (await floor.send("PUT", "", { allow: 409 })).body.dump();
  await floor.dispatcher.close();
  return [
    {
      title: `S3 (Ceph RGW): peak RSS of a 1 GiB streaming upload, ${PART_SIZE / MiB} MiB parts, ${IN_FLIGHT} in flight`,
      budgetBytes: UPLOAD_MEMORY_BOUND,
      bytes: 1024 * MiB,
      teardown: stopS3Server,
      cases: [
        { name: FUSIO_UNDICI, module, exportName: "s3Fusio", args: { ...args, client: "undici" } },
        { name: FUSIO_FETCH, module, exportName: "s3Fusio", args: { ...args, client: "fetch" } },
        { name: "@aws-sdk/lib-storage Upload (stream body)", module, exportName: "s3Sdk", args },
      ],
    },
  ];
}
