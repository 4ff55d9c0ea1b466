// S3 against a Ceph RGW in the same run: fusio (fetch client; an undici request() client as a
// stand-in for @fusio/node/http) versus @aws-sdk/client-s3, with raw undici.request() + the
// native signer as the floor. Uses S3_ENDPOINT & co. when set, else starts the project's Ceph
// (packages/s3/test/server/ceph-rgw.sh) and stops it at exit.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { UndiciHttpClient } from "@fusio/node/http";
import { CEPH_PACIFIC_COMPAT, encodeKey, S3Fs } from "@fusio/s3";
import { nodeSigner } from "@fusio/s3/node-signer";
import { Agent, request } from "undici";
import type { BenchGroup } from "./harness.ts";

const accessKeyId = process.env.S3_ACCESS_KEY_ID ?? "AKIAIOSFODNN7EXAMPLE";
const secretAccessKey = process.env.S3_SECRET_ACCESS_KEY ?? "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const bucket = process.env.S3_BUCKET ?? "fusio-bench";
const region = process.env.S3_REGION ?? "us-east-1";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startCeph(): Promise<string> {
  const script = new URL("../../packages/s3/test/server/ceph-rgw.sh", import.meta.url).pathname;
  const env = {
    ...process.env,
    CEPH_DIR: mkdtempSync(join(tmpdir(), "fusio-ceph-bench-")),
    CEPH_MON_PORT: String(await freePort()),
    CEPH_MON_V1_PORT: String(await freePort()),
    CEPH_RGW_PORT: String(await freePort()),
    S3_ACCESS_KEY_ID: accessKeyId,
    S3_SECRET_ACCESS_KEY: secretAccessKey,
  };
  const up = spawnSync("bash", [script, "up"], { env, encoding: "utf8", timeout: 15 * 60_000 });
  process.on("exit", () => spawnSync("bash", [script, "down"], { env, timeout: 60_000 }));
  if (up.status !== 0) throw new Error(`could not start Ceph RGW for the S3 benchmark:\n${up.stdout}${up.stderr}`);
  return `http://127.0.0.1:${env.CEPH_RGW_PORT}`;
}

export async function s3Groups(): Promise<BenchGroup[]> {
  const endpoint = process.env.S3_ENDPOINT ?? (await startCeph());
  const compat =
    process.env.S3_ENDPOINT && process.env.S3_COMPAT !== "ceph-pacific" ? {} : { compat: CEPH_PACIFIC_COMPAT };
  const credentials = { accessKeyId, secretAccessKey };
  const sdk = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  // fusio's own Node transport (@fusio/node/http) on the same kept-alive pool as the raw floor.
  const dispatcher = new Agent({ connections: 64 });
  const undici = new UndiciHttpClient({ dispatcher });
  const fetchFs = new S3Fs({ bucket, region, endpoint, credentials, ...compat });
  const undiciFs = new S3Fs({ bucket, region, endpoint, credentials, http: undici, ...compat });

  const url = new URL(endpoint);
  async function raw(
    method: string,
    key: string,
    body: Uint8Array | undefined,
    extra: Record<string, string> = {},
    query = "",
  ) {
    const path = `/${bucket}${key ? `/${encodeKey(key)}` : ""}`;
    const datetime = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
    const headers: Record<string, string> = {
      ...extra,
      "x-amz-date": datetime,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    };
    headers.authorization = nodeSigner.authorization({
      method,
      host: url.host,
      path,
      query,
      headers,
      datetime,
      region,
      service: "s3",
      credentials,
    }) as string;
    const answer = await request(`${endpoint}${path}${query ? `?${query}` : ""}`, {
      method: method as "GET",
      headers,
      body: body ?? null,
      dispatcher,
      reset: false,
    });
    return answer.body.arrayBuffer();
  }

  // CreateBucket (an existing one of ours is fine).
  await raw("PUT", "", undefined);
  const object = "bench/object.bin";
  const size = 1024 * 1024;
  const data = new Uint8Array(size).map((_, i) => i & 0xff);
  await raw("PUT", object, data);
  const files = [await fetchFs.open(object), await undiciFs.open(object)];
  const [fetchFile, undiciFile] = files as [Awaited<ReturnType<S3Fs["open"]>>, Awaited<ReturnType<S3Fs["open"]>>];
  let seed = 7;
  const position = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (size / 4096 - 1)) * 4096;
  };
  const getCases = (concurrency: number) => [
    {
      name: "raw undici.request + native signer",
      concurrency,
      op: () => {
        const pos = position();
        return raw("GET", object, undefined, { range: `bytes=${pos}-${pos + 4095}` });
      },
    },
    {
      name: "@aws-sdk/client-s3",
      concurrency,
      op: async () => {
        const pos = position();
        const answer = await sdk.send(
          new GetObjectCommand({ Bucket: bucket, Key: object, Range: `bytes=${pos}-${pos + 4095}` }),
        );
        await answer.Body?.transformToByteArray();
      },
    },
    { name: "fusio S3Fs (fetch)", concurrency, op: () => fetchFile.readExactAt(new Uint8Array(4096), position()) },
    {
      name: "fusio S3Fs (undici client)",
      concurrency,
      op: () => undiciFile.readExactAt(new Uint8Array(4096), position()),
    },
  ];
  const small = new Uint8Array(4096).fill(1);
  let n = 0;
  const putKey = () => `bench/put/${n++ % 256}`;
  const listPrefix = "bench/list/";
  const listed = 1000;
  for (let i = 0; i < listed; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        raw("PUT", `${listPrefix}${String(i + j).padStart(5, "0")}`, new Uint8Array(1)),
      ),
    );
  }
  const drain = async (fs: S3Fs) => {
    let count = 0;
    for await (const _ of fs.list("bench/list", { recursive: true })) count++;
    if (count !== listed) throw new Error(`listed ${count}`);
  };
  return [
    {
      title: "S3: 4 KiB ranged GET, 1 in flight",
      baseline: "@aws-sdk/client-s3",
      opsPerRound: 150,
      rounds: 3,
      cases: getCases(1),
    },
    {
      title: "S3: 4 KiB ranged GET, 16 in flight",
      baseline: "@aws-sdk/client-s3",
      opsPerRound: 400,
      rounds: 3,
      cases: getCases(16),
    },
    {
      title: "S3: 4 KiB PUT, 16 in flight",
      baseline: "@aws-sdk/client-s3",
      opsPerRound: 200,
      rounds: 3,
      cases: [
        { name: "raw undici.request + native signer", concurrency: 16, op: () => raw("PUT", putKey(), small) },
        {
          name: "@aws-sdk/client-s3",
          concurrency: 16,
          op: () => sdk.send(new PutObjectCommand({ Bucket: bucket, Key: putKey(), Body: small })),
        },
        {
          name: "fusio S3Fs (fetch)",
          concurrency: 16,
          op: async () => {
            const file = await fetchFs.open(putKey(), { create: true, truncate: true });
            await file.writeAll(small);
            await file.close();
          },
        },
        {
          name: "fusio S3Fs (undici client)",
          concurrency: 16,
          op: async () => {
            const file = await undiciFs.open(putKey(), { create: true, truncate: true });
            await file.writeAll(small);
            await file.close();
          },
        },
      ],
    },
    {
      title: `S3: list ${listed} keys`,
      baseline: "@aws-sdk/client-s3",
      opsPerRound: 5,
      rounds: 3,
      cases: [
        {
          name: "@aws-sdk/client-s3",
          op: async () => {
            let token: string | undefined;
            let count = 0;
            do {
              const page = await sdk.send(
                new ListObjectsV2Command({ Bucket: bucket, Prefix: listPrefix, ContinuationToken: token }),
              );
              count += page.KeyCount ?? 0;
              token = page.NextContinuationToken;
            } while (token);
            if (count !== listed) throw new Error(`listed ${count}`);
          },
        },
        { name: "fusio S3Fs (fetch)", op: () => drain(fetchFs) },
        { name: "fusio S3Fs (undici client)", op: () => drain(undiciFs) },
      ],
    },
  ];
}
