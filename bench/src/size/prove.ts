// Proves every size job does the job: each job's node bundle (the very code that was measured,
// plus a banner: a `require` shim and a record of which chunks loaded) runs once against a real server or
// a temp directory, and the bytes it read, the object it wrote and the keys it listed are
// checked independently of the job.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { AwsClient } from "aws4fetch";
import { build } from "esbuild";
import { type AzureConfig, type S3Config, type Server, startAzurite, startS3 } from "../servers.ts";
import { buildOptions, type ChunkBytes, staticClosure } from "./bundle.ts";
import type { JobEntry, JobKind } from "./catalog.ts";
import type { AzureTarget, Job, JobOutput, LocalTarget, S3Target } from "./target.ts";

export interface Proof {
  id: string;
  /** "proven", or why not. */
  status: string;
  ok: boolean;
  /** Lazy chunks (reached by `import()`) the job loaded while it ran: they count toward its size. */
  lazyLoaded?: ChunkBytes;
}

/** Deterministic bytes, different at every offset, so an off-by-one read shows. */
function pattern(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && a.every((value, i) => value === b[i]);

/** Each chunk of a proof bundle records itself here when it is evaluated. */
const LOADED = "__fusioSizeLoaded";
const BANNER =
  'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' +
  `(globalThis.${LOADED}??=new Set).add(import.meta.url);`;

interface LoadedJob<T> {
  run: Job<T>;
  /** After the run: the lazy chunks the job made load, without the proof's banner. */
  lazyLoaded(): ChunkBytes;
}

/**
 * Builds the job as it was measured (code-split, node platform, plus the banner: a `require`
 * shim that ESM bundles of CommonJS need, and a line that records each chunk as it loads).
 */
async function loadJob<T>(job: JobEntry, dir: string): Promise<LoadedJob<T>> {
  const outdir = join(dir, job.id.replace("/", "-"));
  const result = await build({ ...buildOptions(job.file, "node", outdir), banner: { js: BANNER } });
  const metafile = result.metafile as NonNullable<typeof result.metafile>;
  const atStart = new Set([...staticClosure(metafile, job.file)].map((path) => resolve(path)));
  const loaded: Set<string> = ((globalThis as Record<string, unknown>)[LOADED] as Set<string>) ?? new Set();
  (globalThis as Record<string, unknown>)[LOADED] = loaded;
  const entry = pathToFileURL(join(outdir, `${job.name}.js`)).href;
  const run = ((await import(entry)) as { default: Job<T> }).default;
  return {
    run,
    lazyLoaded() {
      const sum: ChunkBytes = { chunks: 0, minified: 0, gzip: 0 };
      for (const url of loaded) {
        const path = fileURLToPath(url);
        if (!path.startsWith(`${outdir}/`) || atStart.has(path)) continue;
        const code = readFileSync(path, "utf8").replace(BANNER, "").replace(/^\n/, "");
        sum.chunks++;
        sum.minified += Buffer.byteLength(code);
        sum.gzip += gzipSync(code, { level: 9 }).byteLength;
      }
      return sum;
    },
  };
}

interface Context<T> {
  /** The target for one job. */
  target(job: JobEntry): T;
  /** What the object the job wrote holds. */
  written(job: JobEntry, target: T): Promise<Uint8Array>;
  expectedRead: Uint8Array;
  lists: boolean;
}

async function proveAll<T extends { writeKey: string; data: Uint8Array<ArrayBuffer> }>(
  jobs: JobEntry[],
  context: Context<T>,
  dir: string,
): Promise<Proof[]> {
  const proofs: Proof[] = [];
  for (const job of jobs) {
    try {
      const target = context.target(job);
      const loaded = await loadJob<T>(job, dir);
      const output: JobOutput = await loaded.run(target);
      const problems: string[] = [];
      if (!equal(new Uint8Array(output.read), context.expectedRead)) problems.push("read the wrong bytes");
      if (!equal(await context.written(job, target), target.data)) problems.push("wrote the wrong bytes");
      if (context.lists && !output.listed?.includes(target.writeKey)) problems.push("listing misses the written key");
      proofs.push({
        id: job.id,
        ok: problems.length === 0,
        status: problems.length ? problems.join("; ") : "proven",
        lazyLoaded: loaded.lazyLoaded(),
      });
    } catch (error) {
      proofs.push({ id: job.id, ok: false, status: `failed: ${String(error).split("\n")[0]?.slice(0, 200)}` });
    }
  }
  return proofs;
}

const READ_KEY = "data.bin";
const writeKeyOf = (job: JobEntry) => `out/${job.name}.bin`;

async function proveLocal(jobs: JobEntry[], dir: string): Promise<Proof[]> {
  const root = join(dir, "local");
  mkdirSync(root, { recursive: true });
  const data = pattern(4096, 1);
  writeFileSync(join(root, READ_KEY), data);
  return await proveAll<LocalTarget>(
    jobs,
    {
      target: (job) => ({ root, readKey: READ_KEY, writeKey: writeKeyOf(job), data: pattern(64, job.name.length + 7) }),
      written: async (_, target) => new Uint8Array(readFileSync(join(root, target.writeKey))),
      expectedRead: data.subarray(1000, 1100),
      lists: false,
    },
    dir,
  );
}

async function proveS3(jobs: JobEntry[], server: Server<S3Config>, dir: string): Promise<Proof[]> {
  const config = server.config;
  const aws = new AwsClient({ ...config, service: "s3", retries: 0 });
  const bucket = `fusio-bench-size-${Date.now().toString(36)}`;
  const base = `${config.endpoint.replace(/\/$/, "")}/${bucket}`;
  const must = async (response: Promise<Response>, what: string) => {
    const done = await response;
    if (!done.ok) throw new Error(`${what}: S3 answered ${done.status}`);
    return done;
  };
  const data = pattern(4096, 2);
  await must(aws.fetch(base, { method: "PUT" }), "create bucket");
  try {
    await must(aws.fetch(`${base}/${READ_KEY}`, { method: "PUT", body: data }), "seed");
    return await proveAll<S3Target>(
      jobs,
      {
        target: (job) => ({
          ...config,
          bucket,
          readKey: READ_KEY,
          writeKey: writeKeyOf(job),
          data: pattern(64, job.name.length + 11),
          listPrefix: "out/",
        }),
        written: async (_, target) =>
          new Uint8Array(await (await must(aws.fetch(`${base}/${target.writeKey}`), "read back")).arrayBuffer()),
        expectedRead: data.subarray(100, 200),
        lists: true,
      },
      dir,
    );
  } finally {
    for (const key of [READ_KEY, ...jobs.map(writeKeyOf)])
      await aws.fetch(`${base}/${key}`, { method: "DELETE" }).catch(() => {});
    await aws.fetch(base, { method: "DELETE" }).catch(() => {});
  }
}

async function proveAzure(jobs: JobEntry[], server: Server<AzureConfig>, dir: string): Promise<Proof[]> {
  const config = server.config;
  const credential = new StorageSharedKeyCredential(config.accountName, config.accountKey);
  const service = new BlobServiceClient(config.accountUrl, credential);
  const container = `size-${Date.now().toString(36)}`;
  const sasToken = generateBlobSASQueryParameters(
    {
      containerName: container,
      permissions: ContainerSASPermissions.parse("racwl"),
      expiresOn: new Date(Date.now() + 3_600_000),
    },
    credential,
  ).toString();
  const client = service.getContainerClient(container);
  await client.create();
  const data = pattern(4096, 3);
  await client.getBlockBlobClient(READ_KEY).upload(data, data.byteLength);
  try {
    return await proveAll<AzureTarget>(
      jobs,
      {
        target: (job) => ({
          ...config,
          sasToken,
          container,
          readKey: READ_KEY,
          writeKey: writeKeyOf(job),
          data: pattern(64, job.name.length + 13),
          listPrefix: "out/",
        }),
        written: async (_, target) => new Uint8Array(await client.getBlobClient(target.writeKey).downloadToBuffer()),
        expectedRead: data.subarray(100, 200),
        lists: true,
      },
      dir,
    );
  } finally {
    await client.delete().catch(() => {});
  }
}

export interface ProofRun {
  proofs: Proof[];
  /** The servers used, by kind. */
  servers: Partial<Record<JobKind, string>>;
}

/** Runs every job once; starts and stops the servers it needs. */
export async function proveJobs(jobs: JobEntry[]): Promise<ProofRun> {
  // Inside bench/node_modules, so that what the node bundles leave external (NODE_EXTERNAL)
  // resolves from bench's own dependencies when the jobs run.
  const cache = new URL("../../node_modules/.cache/", import.meta.url).pathname;
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "fusio-bench-prove-"));
  const of = (kind: JobKind) => jobs.filter((job) => job.kind === kind);
  const proofs: Proof[] = [];
  const servers: Partial<Record<JobKind, string>> = { local: "a temp directory" };
  const notRun = (kind: JobKind, reason: string) => {
    for (const job of of(kind)) proofs.push({ id: job.id, ok: false, status: `not run: ${reason}` });
  };
  try {
    if (of("local").length) proofs.push(...(await proveLocal(of("local"), dir)));
    const azurite = !of("azure").length
      ? { unavailable: "" }
      : await startAzurite().catch((error: unknown) => ({ unavailable: String(error) }));
    if ("unavailable" in azurite) notRun("azure", azurite.unavailable);
    else {
      servers.azure = azurite.description;
      try {
        proofs.push(...(await proveAzure(of("azure"), azurite, dir)));
      } finally {
        await azurite.stop();
      }
    }
    const s3 = !of("s3").length
      ? { unavailable: "" }
      : await startS3().catch((error: unknown) => ({ unavailable: String(error) }));
    if ("unavailable" in s3) notRun("s3", s3.unavailable);
    else {
      servers.s3 = s3.description;
      try {
        proofs.push(...(await proveS3(of("s3"), s3, dir)));
      } finally {
        await s3.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { proofs, servers };
}
