// The official SDK with a SAS instead of Shared Key: its browser build has no Shared Key, so
// this is how the SDK does the job in a browser.
import { ContainerClient } from "@azure/storage-blob";
import type { AzureTarget, JobOutput } from "../../target.ts";

export default async function job(target: AzureTarget): Promise<JobOutput> {
  const container = new ContainerClient(`${target.accountUrl}/${target.container}?${target.sasToken}`);
  const download = await container.getBlobClient(target.readKey).download(100, 100);
  let read: Uint8Array;
  if (download.readableStreamBody) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of download.readableStreamBody) chunks.push(chunk as Uint8Array);
    read = new Uint8Array(Buffer.concat(chunks));
  } else {
    read = new Uint8Array(await ((await download.blobBody) as Blob).arrayBuffer());
  }
  await container.getBlockBlobClient(target.writeKey).upload(target.data, target.data.byteLength);
  const listed: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: target.listPrefix })) listed.push(blob.name);
  return { read, listed };
}
