// The official SDK: a ranged download, a block blob upload, listBlobsFlat.
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureTarget, JobOutput } from "../../target.ts";

export default async function job(target: AzureTarget): Promise<JobOutput> {
  const service = new BlobServiceClient(
    target.accountUrl,
    new StorageSharedKeyCredential(target.accountName, target.accountKey),
  );
  const container = service.getContainerClient(target.container);
  const download = await container.getBlobClient(target.readKey).download(100, 100);
  const chunks: Uint8Array[] = [];
  for await (const chunk of download.readableStreamBody ?? []) chunks.push(chunk as Uint8Array);
  await container.getBlockBlobClient(target.writeKey).upload(target.data, target.data.byteLength);
  const listed: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: target.listPrefix })) listed.push(blob.name);
  return { read: Buffer.concat(chunks), listed };
}
