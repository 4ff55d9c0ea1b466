// Browser commands: calls the page makes into the Node process that runs vitest
// (https://vitest.dev/api/browser/commands), here to change stored objects behind the page's back.
// Loaded with the config file: only npm packages and types here, no workspace sources.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { S3TestConfig } from "@fusio-internal/test-support/s3-test-config";
import { AwsClient } from "aws4fetch";
import type { BrowserCommand } from "vitest/node";
import type { AzuriteTarget } from "./azurite.ts";

/** A client of the Azure SDK on `target` (setup and commands only, never the page). */
export function serviceClient(target: AzuriteTarget): BlobServiceClient {
  return new BlobServiceClient(target.endpoint, new StorageSharedKeyCredential(target.account, target.accountKey));
}

/** PUT of `text` at `key` in the test bucket, from Node (signed by aws4fetch, not by fusio). */
export const overwriteS3Object: BrowserCommand<[key: string, text: string]> = async ({ project }, key, text) => {
  const config: S3TestConfig = project.getProvidedContext().s3;
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    region: config.region,
    service: "s3",
    retries: 0,
  });
  const url = `${config.endpoint.replace(/\/$/, "")}/${config.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const response = await client.fetch(url, { method: "PUT", body: text });
  const answer = await response.text();
  if (!response.ok) throw new Error(`PUT ${key} from Node failed: ${response.status} ${answer.slice(0, 300)}`);
};

/** Put Blob of `text` at `key` in the test container, from Node (the Azure SDK). */
export const overwriteAzureBlob: BrowserCommand<[key: string, text: string]> = async ({ project }, key, text) => {
  const target = project.getProvidedContext().azurite;
  await serviceClient(target)
    .getContainerClient(target.container)
    .getBlockBlobClient(key)
    .upload(text, Buffer.byteLength(text));
};

declare module "vitest/browser" {
  interface BrowserCommands {
    /** Writes `text` at `key` in the S3 test bucket from Node. */
    overwriteS3Object(key: string, text: string): Promise<void>;
    /** Writes `text` at `key` in the Azure test container from Node. */
    overwriteAzureBlob(key: string, text: string): Promise<void>;
  }
}
