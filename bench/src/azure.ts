// Azure Blob on Azurite: fusio (in its default configuration, no `http` option, and with fetch) against
// @azure/storage-blob and the floor, raw undici.request() with a node:crypto Shared Key signer.
// Each group starts a fresh Azurite (it frees deleted blobs only every 10 minutes, so memory
// would pile up).
import { createHmac } from "node:crypto";
import { BlobServiceClient, type ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AzureBlobFs, DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY } from "@fusio/azure";
import { FetchHttpClient } from "@fusio/http/fetch-client";
import { type Azurite, startAzurite } from "@fusio-internal/test-support/azurite";
import { Agent, request } from "undici";
import type { BenchCase, BenchGroup } from "./harness.ts";
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
import { startAzurite as startSilentAzurite } from "./servers.ts";

const CONTAINER = "bench";
const KEY = Buffer.from(DEVELOPMENT_KEY, "base64");
const VERSION = "2025-11-05";

/** The floor: undici.request() + synchronous node:crypto Shared Key, no abstraction. */
class Floor {
  readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  constructor(readonly origin: string) {}

  async send(
    method: string,
    path: string,
    query: Array<[string, string]>,
    extra: Record<string, string>,
    body?: Uint8Array,
  ): Promise<{ status: number; body: Buffer | undefined; sink?: Uint8Array }> {
    const headers: Record<string, string> = {
      ...extra,
      "x-ms-date": new Date().toUTCString(),
      "x-ms-version": VERSION,
    };
    const canonicalHeaders = Object.keys(headers)
      .filter((name) => name.startsWith("x-ms-"))
      .sort()
      .map((name) => `${name}:${headers[name]}\n`)
      .join("");
    const length = body?.length ?? 0;
    let resource = `/${DEVELOPMENT_ACCOUNT}${path}`;
    for (const [name, value] of [...query].sort(([a], [b]) => (a < b ? -1 : 1))) resource += `\n${name}:${value}`;
    const stringToSign = `${method}\n\n\n${length > 0 ? length : ""}\n\n\n\n\n\n\n\n\n${canonicalHeaders}${resource}`;
    headers.authorization = `SharedKey ${DEVELOPMENT_ACCOUNT}:${createHmac("sha256", KEY).update(stringToSign).digest("base64")}`;
    const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
    const response = await request(`${this.origin}${path}${search ? `?${search}` : ""}`, {
      method: method as "GET",
      headers,
      body: method === "PUT" ? (body ?? new Uint8Array(0)) : null,
      dispatcher: this.agent,
      reset: false,
    });
    if (response.statusCode >= 300) throw new Error(`floor ${method} ${path}: ${response.statusCode}`);
    if (method === "GET") return { status: response.statusCode, body: Buffer.from(await response.body.arrayBuffer()) };
    await response.body.dump();
    return { status: response.statusCode, body: undefined };
  }

  /** A ranged read straight into `target`. */
  async readInto(path: string, target: Uint8Array, pos: number): Promise<void> {
    const headers: Record<string, string> = {
      "x-ms-date": new Date().toUTCString(),
      "x-ms-range": `bytes=${pos}-${pos + target.length - 1}`,
      "x-ms-version": VERSION,
    };
    const stringToSign = `GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:${headers["x-ms-date"]}\nx-ms-range:${headers["x-ms-range"]}\nx-ms-version:${VERSION}\n/${DEVELOPMENT_ACCOUNT}${path}`;
    headers.authorization = `SharedKey ${DEVELOPMENT_ACCOUNT}:${createHmac("sha256", KEY).update(stringToSign).digest("base64")}`;
    const response = await request(`${this.origin}${path}`, { method: "GET", headers, dispatcher: this.agent });
    if (response.statusCode !== 206) throw new Error(`floor read: ${response.statusCode}`);
    let filled = 0;
    for await (const chunk of response.body) {
      target.set(chunk as Buffer, filled);
      filled += (chunk as Buffer).length;
    }
  }
}

interface Env {
  azurite: Azurite;
  sdk: ContainerClient;
  fetchFs: AzureBlobFs;
  defaultFs: AzureBlobFs;
  floor: Floor;
  /** `/devstoreaccount1/bench` */
  containerPath: string;
}

let current: Env | undefined;
process.on("exit", () => {
  // Last resort if a group failed to tear down: never leave Azurite running.
  void current?.azurite.stop();
});

async function stopEnv(): Promise<void> {
  const env = current;
  current = undefined;
  if (env === undefined) return;
  await env.azurite.stop();
  await env.floor.agent.close();
}

async function freshEnv(): Promise<Env> {
  await stopEnv();
  const azurite = await startAzurite();
  const credential = new StorageSharedKeyCredential(DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY);
  const sdk = new BlobServiceClient(azurite.endpoint, credential).getContainerClient(CONTAINER);
  await sdk.createIfNotExists();
  const options = {
    account: DEVELOPMENT_ACCOUNT,
    container: CONTAINER,
    endpoint: azurite.endpoint,
    credential: { accountKey: DEVELOPMENT_KEY },
  };
  current = {
    azurite,
    sdk,
    fetchFs: new AzureBlobFs({ ...options, http: new FetchHttpClient() }),
    // Its defaults are the upload group's block size and blocks in flight (8 MiB, 4).
    defaultFs: new AzureBlobFs(options),
    floor: new Floor(`http://127.0.0.1:${azurite.port}`),
    containerPath: `/${DEVELOPMENT_ACCOUNT}/${CONTAINER}`,
  };
  return current;
}

/** A group whose server and data are set up by the first operation (the warm-up), fresh per group. */
function lazyGroup(
  group: Omit<BenchGroup, "cases">,
  setup: (env: Env) => Promise<Record<string, () => Promise<unknown>>>,
  names: string[],
  extra: Partial<BenchCase> = {},
): BenchGroup {
  let ops: Record<string, () => Promise<unknown>> | undefined;
  let pending: Promise<Record<string, () => Promise<unknown>>> | undefined;
  const ready = async () => {
    pending ??= freshEnv().then(setup);
    ops = await pending;
    return ops;
  };
  return {
    ...group,
    teardown: stopEnv,
    cases: names.map((name) => ({
      ...extra,
      name,
      op: async () => ((ops ?? (await ready()))[name] as () => Promise<unknown>)(),
    })),
  };
}

const SDK = "@azure/storage-blob";
const FLOOR = "undici.request + node:crypto (floor)";
const FUSIO_DEFAULT = "AzureBlobFs default configuration (no http option)";
const FUSIO_FETCH = "AzureBlobFs + fetch";
const NAMES = [SDK, FLOOR, FUSIO_DEFAULT, FUSIO_FETCH];
/** Every group holds the default configuration to the floor. */
const HEADLINE = { defaultCase: FUSIO_DEFAULT, floor: FLOOR };

function randomPositions(size: number, block: number): () => number {
  let seed = 7;
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed % (size / block)) * block;
  };
}

async function readGroup(concurrency: number): Promise<BenchGroup> {
  const size = 16 * 1024 * 1024;
  return lazyGroup(
    {
      title: `Azure: 4 KiB ranged read, ${concurrency} in flight (ops/s)`,
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: concurrency === 1 ? 1000 : 3000,
      rounds: 5,
    },
    async (env) => {
      const data = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      await env.sdk.getBlockBlobClient("read.bin").uploadData(data);
      const next = randomPositions(size, 4096);
      const fetchFile = await env.fetchFs.open("read.bin");
      const defaultFile = await env.defaultFs.open("read.bin");
      const blob = env.sdk.getBlobClient("read.bin");
      return {
        [SDK]: async () => {
          const buf = new Uint8Array(4096);
          const response = await blob.download(next(), 4096);
          let filled = 0;
          for await (const chunk of response.readableStreamBody as NodeJS.ReadableStream) {
            buf.set(chunk as Buffer, filled);
            filled += (chunk as Buffer).length;
          }
        },
        [FLOOR]: () => env.floor.readInto(`${env.containerPath}/read.bin`, new Uint8Array(4096), next()),
        [FUSIO_DEFAULT]: () => defaultFile.readExactAt(new Uint8Array(4096), next()),
        [FUSIO_FETCH]: () => fetchFile.readExactAt(new Uint8Array(4096), next()),
      };
    },
    NAMES,
    { concurrency },
  );
}

function uploadGroup(): BenchGroup {
  const data = new Uint8Array(4096).fill(7);
  let n = 0;
  const name = () => `small/${n++ % 256}.bin`;
  return lazyGroup(
    {
      title: "Azure: 4 KiB upload (Put Blob), 16 in flight (ops/s)",
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 2000,
      rounds: 5,
    },
    async (env) => ({
      [SDK]: () => env.sdk.getBlockBlobClient(name()).upload(data, data.length),
      [FLOOR]: () =>
        env.floor.send("PUT", `${env.containerPath}/${name()}`, [], { "x-ms-blob-type": "BlockBlob" }, data),
      [FUSIO_DEFAULT]: async () => {
        const file = await env.defaultFs.open(name(), { create: true, truncate: true });
        await file.writeAll(data);
        await file.close();
      },
      [FUSIO_FETCH]: async () => {
        const file = await env.fetchFs.open(name(), { create: true, truncate: true });
        await file.writeAll(data);
        await file.close();
      },
    }),
    NAMES,
    { concurrency: 16 },
  );
}

function blockUploadGroup(): BenchGroup {
  const data = pattern(LARGE_UPLOAD);
  return lazyGroup(
    {
      title: `Azure: 256 MiB upload, ${PART_SIZE / MiB} MiB blocks, ${IN_FLIGHT} in flight (MB/s)`,
      baseline: SDK,
      ...HEADLINE,
      opsPerRound: 1,
      rounds: 3,
      warmup: 1,
      unit: "MB/s",
    },
    async (env) => {
      const options = {
        account: DEVELOPMENT_ACCOUNT,
        container: CONTAINER,
        endpoint: env.azurite.endpoint,
        credential: { accountKey: DEVELOPMENT_KEY },
        blockSize: PART_SIZE,
        concurrency: IN_FLIGHT,
      };
      const fetchFs = new AzureBlobFs({ ...options, http: new FetchHttpClient() });
      return {
        [SDK]: () =>
          env.sdk
            .getBlockBlobClient("large.bin")
            .uploadData(data, { blockSize: PART_SIZE, concurrency: IN_FLIGHT, maxSingleShotSize: PART_SIZE }),
        [FLOOR]: async () => {
          const path = `${env.containerPath}/large.bin`;
          const ids = Array.from({ length: Math.ceil(data.length / PART_SIZE) }, (_, i) =>
            Buffer.from(`block-${String(i).padStart(6, "0")}`).toString("base64"),
          );
          await pool(ids.length, IN_FLIGHT, (i) =>
            env.floor.send(
              "PUT",
              path,
              [
                ["comp", "block"],
                ["blockid", ids[i] as string],
              ],
              {},
              data.subarray(i * PART_SIZE, (i + 1) * PART_SIZE),
            ),
          );
          const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
          await env.floor.send("PUT", path, [["comp", "blocklist"]], {}, Buffer.from(xml));
        },
        [FUSIO_DEFAULT]: () => writeWhole(env.defaultFs, "large.bin", data),
        [FUSIO_FETCH]: () => writeWhole(fetchFs, "large.bin", data),
      };
    },
    NAMES,
    { unitsPerOp: LARGE_UPLOAD },
  );
}

function listGroup(): BenchGroup {
  return lazyGroup(
    { title: "Azure: list 5,000 blobs (lists/s)", baseline: SDK, ...HEADLINE, opsPerRound: 5, rounds: 5, warmup: 2 },
    async (env) => {
      await pool(LIST_COUNT, 32, (i) =>
        env.floor.send(
          "PUT",
          `${env.containerPath}/list/${String(i).padStart(5, "0")}.bin`,
          [],
          { "x-ms-blob-type": "BlockBlob" },
          Uint8Array.of(1),
        ),
      );
      return {
        [SDK]: async () => {
          let seen = 0;
          for await (const _ of env.sdk.listBlobsFlat({ prefix: "list/" })) seen++;
          expectListed(seen);
        },
        [FLOOR]: async () => {
          const { body } = await env.floor.send(
            "GET",
            env.containerPath,
            [
              ["restype", "container"],
              ["comp", "list"],
              ["prefix", "list/"],
              ["maxresults", String(LIST_COUNT)],
            ],
            {},
          );
          const text = (body as Buffer).toString("utf8");
          let seen = 0;
          for (const _ of text.matchAll(/<Name>([^<]*)<\/Name>[\s\S]*?<Content-Length>(\d+)</g)) seen++;
          expectListed(seen);
        },
        [FUSIO_DEFAULT]: async () => expectListed(await countList(env.defaultFs, "list")),
        [FUSIO_FETCH]: async () => expectListed(await countList(env.fetchFs, "list")),
      };
    },
    NAMES,
  );
}

// The bundle sizes of the Azure job are measured with the other jobs' (size/), not here.
export async function azureGroups(): Promise<BenchGroup[]> {
  return [await readGroup(1), await readGroup(16), uploadGroup(), blockUploadGroup(), listGroup()];
}

/**
 * Peak memory of a 1 GiB streaming upload, fusio (both clients) and the SDK's uploadStream, each
 * in its own process, against one Azurite (servers.ts: silent, its output never piles up in a
 * pipe while the parent waits for a case).
 */
export async function azureMemoryGroups(): Promise<MemoryGroup[]> {
  const azurite = await startSilentAzurite();
  const args = { ...azurite.config, container: CONTAINER, key: "memory-1gib.bin" };
  const credential = new StorageSharedKeyCredential(args.accountName, args.accountKey);
  await new BlobServiceClient(args.accountUrl, credential).getContainerClient(CONTAINER).createIfNotExists();
  const module = new URL("./upload-1gib.ts", import.meta.url).pathname;
  return [
    {
      title: `Azure (Azurite): peak RSS of a 1 GiB streaming upload, ${PART_SIZE / MiB} MiB blocks, ${IN_FLIGHT} in flight`,
      budgetBytes: UPLOAD_MEMORY_BOUND,
      bytes: 1024 * MiB,
      teardown: () => azurite.stop(),
      cases: [
        { name: FUSIO_DEFAULT, module, exportName: "azureFusio", args: { ...args, client: "default" } },
        { name: FUSIO_FETCH, module, exportName: "azureFusio", args: { ...args, client: "fetch" } },
        { name: `${SDK} uploadStream`, module, exportName: "azureSdk", args },
      ],
    },
  ];
}
