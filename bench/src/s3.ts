// S3 against a Ceph RGW in the same run: fusio (in its default configuration, built as the
// README's first example with no `http` option, and with the portable FetchHttpClient) versus
// @aws-sdk/client-s3 (+ @aws-sdk/lib-storage for the large upload), with raw undici.request() +
// the native node:crypto SigV4 signer as the floor (s3-floor.ts). Uses S3_ENDPOINT
// & co. when set, else a throwaway Ceph (servers.ts startS3) for the speed groups and another for
// the peak-memory group, each stopped after its last group (or at exit).
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { FetchHttpClient } from "@fusio/http/fetch-client";
import { CEPH_PACIFIC_COMPAT, S3Fs, type S3FsOptions } from "@fusio/s3";
import { Agent } from "undici";
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
import { Floor } from "./s3-floor.ts";
import { type S3Config, type Server, startS3 } from "./servers.ts";

const bucket = process.env.S3_BUCKET ?? "fusio-bench";

const SDK = "@aws-sdk/client-s3";
const SDK_UPLOAD = "@aws-sdk/client-s3 + @aws-sdk/lib-storage";
const FLOOR = "undici.request + node:crypto SigV4 (floor)";
/** What the fetch client stands on: fetch copies each request body, which no client on it can avoid. */
const BARE_FETCH = "fetch + node:crypto SigV4 (bare fetch)";
const FUSIO_DEFAULT = "S3Fs default configuration (no http option)";
const FUSIO_FETCH = "S3Fs + fetch";

/** Every speed group holds the default configuration to the floor. */
const HEADLINE = { defaultCase: FUSIO_DEFAULT, floor: FLOOR };

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
  const floorAgent = new Agent({ connections: 64 });
  // Its defaults are the groups' part size and parts in flight (8 MiB, 4).
  const defaultFs = new S3Fs(fusioOptions(config));
  const fetchFs = new S3Fs({
    ...fusioOptions(config),
    partSize: PART_SIZE,
    concurrency: IN_FLIGHT,
    http: new FetchHttpClient(),
  });
  const floor = new Floor(config, bucket, floorAgent);
  const bareFetch = new Floor(config, bucket);
  // After the last group: the memory group (or the next run) starts a fresh server, so an idle Ceph
  // never runs beside the other groups and the 1 GiB uploads start on an empty OSD.
  const teardown = async () => {
    sdk.destroy();
    await floorAgent.close();
    await stopS3Server();
  };

  // CreateBucket (an existing one of ours is fine).
  await (await floor.send("PUT", "", { allow: 409 })).dump();
  const object = "bench/object.bin";
  const size = 1024 * 1024;
  await (await floor.send("PUT", object, { body: pattern(size) })).dump();
  const fetchFile = await fetchFs.open(object);
  const defaultFile = await defaultFs.open(object);
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
        await (await floor.send("GET", object, { headers: { range: `bytes=${pos}-${pos + 4095}` } })).arrayBuffer();
      },
    },
    { name: FUSIO_DEFAULT, concurrency, op: () => defaultFile.readExactAt(new Uint8Array(4096), position()) },
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
    await answer.dump();
  });

  return [
    {
      title: "S3: 4 KiB ranged GET, 1 in flight",
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 150,
      rounds: 8,
      cases: getCases(1),
    },
    {
      title: "S3: 4 KiB ranged GET, 16 in flight",
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 400,
      rounds: 8,
      cases: getCases(16),
    },
    {
      title: "S3: 4 KiB PUT, 16 in flight",
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 200,
      rounds: 8,
      cases: [
        {
          name: FLOOR,
          concurrency: 16,
          op: async () => (await floor.send("PUT", putKey(), { body: small })).dump(),
        },
        { name: FUSIO_DEFAULT, concurrency: 16, op: () => putThrough(defaultFs) },
        {
          name: SDK,
          concurrency: 16,
          op: () => sdk.send(new PutObjectCommand({ Bucket: bucket, Key: putKey(), Body: small })),
        },
        { name: FUSIO_FETCH, concurrency: 16, op: () => putThrough(fetchFs) },
      ],
    },
    {
      title: `S3: 256 MiB multipart upload, ${PART_SIZE / MiB} MiB parts, ${IN_FLIGHT} in flight (MB/s)`,
      baseline: SDK_UPLOAD,
      ...HEADLINE,
      opsPerRound: 1,
      rounds: 5,
      warmup: 1,
      unit: "MB/s",
      cases: [
        { name: FLOOR, op: () => floor.multipartUpload(largeKey, large) },
        { name: FUSIO_DEFAULT, op: () => writeWhole(defaultFs, largeKey, large) },
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
        { name: BARE_FETCH, op: () => bareFetch.multipartUpload(largeKey, large) },
        { name: FUSIO_FETCH, op: () => writeWhole(fetchFs, largeKey, large) },
      ].map((benchCase) => ({ ...benchCase, unitsPerOp: LARGE_UPLOAD })),
    },
    {
      title: "S3: list 5,000 keys (lists/s)",
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 10,
      rounds: 5,
      warmup: 2,
      teardown,
      cases: [
        { name: FLOOR, op: async () => expectListed((await floor.list(listPrefix)).length) },
        { name: FUSIO_DEFAULT, op: async () => expectListed(await countList(defaultFs, "bench/list")) },
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
  const agent = new Agent();
  await (await new Floor(config, bucket, agent).send("PUT", "", { allow: 409 })).dump();
  await agent.close();
  return [
    {
      title: `S3 (Ceph RGW): peak RSS of a 1 GiB streaming upload, ${PART_SIZE / MiB} MiB parts, ${IN_FLIGHT} in flight`,
      budgetBytes: UPLOAD_MEMORY_BOUND,
      bytes: 1024 * MiB,
      teardown: stopS3Server,
      cases: [
        { name: FUSIO_DEFAULT, module, exportName: "s3Fusio", args: { ...args, client: "default" } },
        { name: FUSIO_FETCH, module, exportName: "s3Fusio", args: { ...args, client: "fetch" } },
        { name: BARE_FETCH, module, exportName: "s3BareFetch", args: { ...args, server: config } },
        { name: "@aws-sdk/lib-storage Upload (stream body)", module, exportName: "s3Sdk", args },
      ],
    },
  ];
}
