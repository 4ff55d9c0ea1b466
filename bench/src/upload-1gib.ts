// The cases of the peak-memory groups, each run alone in a fresh process by peak-memory.ts:
// a 1 GiB upload fed as a stream of fresh 1 MiB chunks (streamOf) through fusio or the SDK,
// with the same part/block size and parts in flight, checked for size afterwards and removed.
// Everything is imported up front so the libraries count in the baseline, not the peak.
import { Readable } from "node:stream";
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AzureBlobFs } from "@fusio/azure";
import type { Fs } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http/fetch-client";
import { S3Fs, type S3FsOptions } from "@fusio/s3";
import { IN_FLIGHT, MiB, PART_SIZE, streamOf } from "./remote-workloads.ts";
import { Floor } from "./s3-floor.ts";
import type { S3Config } from "./servers.ts";

const SIZE = 1024 * MiB;

/** The backend's default configuration (no `http` option), or the portable fetch client. */
type Client = "default" | "fetch";

function checkSize(size: number | undefined): void {
  if (size !== SIZE) throw new Error(`uploaded ${size} bytes, expected ${SIZE}`);
}

async function throughFusio(fs: Fs, key: string): Promise<void> {
  const file = await fs.open(key, { create: true, truncate: true });
  for await (const chunk of streamOf(SIZE)) await file.writeAll(chunk);
  await file.close();
  await checkAndRemove(fs, key);
}

async function checkAndRemove(fs: Fs, key: string): Promise<void> {
  checkSize((await fs.stat(key)).size);
  await fs.remove(key);
}

export interface S3UploadArgs extends S3FsOptions {
  key: string;
  client?: Client;
}

/** S3Fs with `client` (the default configuration, or fetch). */
export async function s3Fusio(args: S3UploadArgs): Promise<void> {
  const http = args.client === "fetch" ? new FetchHttpClient() : undefined;
  const fs = new S3Fs({ ...args, partSize: PART_SIZE, concurrency: IN_FLIGHT, http });
  await throughFusio(fs, args.key);
}

/**
 * The same streaming upload by hand on the runtime's bare fetch and the floor's signer: each part
 * gathered into a buffer of its own, at most IN_FLIGHT parts uploading, the next part gathered
 * meanwhile. What fetch itself holds (it copies every request body) is the least the fetch
 * client can hold.
 */
export async function s3BareFetch(args: S3UploadArgs & { server: S3Config }): Promise<void> {
  const floor = new Floor(args.server, args.bucket);
  const upload = await floor.createUpload(args.key);
  const inFlight = new Set<Promise<void>>();
  let part = new Uint8Array(PART_SIZE);
  let filled = 0;
  let number = 0;
  const send = async (data: Uint8Array) => {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const sending = upload.part(++number, data).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };
  for await (const chunk of streamOf(SIZE)) {
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(PART_SIZE - filled, chunk.length - offset);
      part.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === PART_SIZE) {
        await send(part);
        part = new Uint8Array(PART_SIZE);
        filled = 0;
      }
    }
  }
  if (filled > 0) await send(part.subarray(0, filled));
  await Promise.all(inFlight);
  await upload.complete();
  await checkAndRemove(new S3Fs(args), args.key);
}

/** @aws-sdk/lib-storage Upload of a Readable. */
export async function s3Sdk(args: S3UploadArgs): Promise<void> {
  const client = new S3Client({
    endpoint: args.endpoint as string,
    region: args.region as string,
    forcePathStyle: true,
    credentials: args.credentials as { accessKeyId: string; secretAccessKey: string },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const params = { Bucket: args.bucket, Key: args.key };
  await new Upload({
    client,
    params: { ...params, Body: Readable.from(streamOf(SIZE)) },
    partSize: PART_SIZE,
    queueSize: IN_FLIGHT,
  }).done();
  checkSize((await client.send(new HeadObjectCommand(params))).ContentLength);
  await client.send(new DeleteObjectCommand(params));
  client.destroy();
}

export interface AzureUploadArgs {
  /** `http://127.0.0.1:PORT/devstoreaccount1` */
  accountUrl: string;
  accountName: string;
  accountKey: string;
  container: string;
  key: string;
  client?: Client;
}

/** AzureBlobFs with `client` (the default configuration, or fetch). */
export async function azureFusio(args: AzureUploadArgs): Promise<void> {
  const http = args.client === "fetch" ? new FetchHttpClient() : undefined;
  const fs = new AzureBlobFs({
    account: args.accountName,
    container: args.container,
    endpoint: args.accountUrl,
    credential: { accountKey: args.accountKey },
    blockSize: PART_SIZE,
    concurrency: IN_FLIGHT,
    http,
  });
  await throughFusio(fs, args.key);
}

/** @azure/storage-blob uploadStream of a Readable. */
export async function azureSdk(args: AzureUploadArgs): Promise<void> {
  const credential = new StorageSharedKeyCredential(args.accountName, args.accountKey);
  const blob = new BlobServiceClient(args.accountUrl, credential)
    .getContainerClient(args.container)
    .getBlockBlobClient(args.key);
  await blob.uploadStream(Readable.from(streamOf(SIZE)), PART_SIZE, IN_FLIGHT);
  checkSize((await blob.getProperties()).contentLength);
  await blob.delete();
}
