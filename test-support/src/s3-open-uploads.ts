// The multipart uploads still open on the test S3 server: after any writer finished or failed
// there must be none. Signed by aws4fetch, so that packages without the AWS SDK (parquet) can ask.
import { AwsClient } from "aws4fetch";
import type { S3TestConfig } from "./s3-test-config.ts";

/** The keys of the multipart uploads open under `prefix` (ListMultipartUploads). */
export async function openUploads(config: S3TestConfig, prefix: string): Promise<string[]> {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    region: config.region,
    service: "s3",
    retries: 0,
  });
  const url = `${config.endpoint.replace(/\/$/, "")}/${config.bucket}?uploads&prefix=${encodeURIComponent(prefix)}`;
  const response = await client.fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`ListMultipartUploads failed: ${response.status} ${text.slice(0, 300)}`);
  return [...text.matchAll(/<Upload>[\s\S]*?<Key>([^<]*)<\/Key>/g)].map((match) => match[1] as string);
}
