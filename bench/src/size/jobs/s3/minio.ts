// MinIO's client: getPartialObject for the range, putObject, listObjectsV2 (a stream).
import { Client } from "minio";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const url = new URL(target.endpoint);
  const client = new Client({
    endPoint: url.hostname,
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
    useSSL: url.protocol === "https:",
    accessKey: target.accessKeyId,
    secretKey: target.secretAccessKey,
    region: target.region,
    pathStyle: true,
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of await client.getPartialObject(target.bucket, target.readKey, 100, 100)) chunks.push(chunk);
  await client.putObject(target.bucket, target.writeKey, Buffer.from(target.data));
  const listed: string[] = [];
  for await (const item of client.listObjectsV2(target.bucket, target.listPrefix, true)) {
    if (item.name) listed.push(item.name);
  }
  return { read: Buffer.concat(chunks), listed };
}
