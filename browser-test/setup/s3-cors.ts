// vitest globalSetup, after @fusio-internal/test-support/rgw-global-setup: puts the CORS rule of
// cors-rules.ts on the test bucket (PutBucketCors), so the page may call the RGW.
import { createHash } from "node:crypto";
import type { S3TestConfig } from "@fusio-internal/test-support/s3-test-config";
import { AwsClient } from "aws4fetch";
import type { TestProject } from "vitest/node";
import { type CorsRule, S3_CORS } from "./cors-rules.ts";

/** The CORSConfiguration document of PutBucketCors for `rule`. */
export function corsConfiguration(rule: CorsRule): string {
  const tags = (name: string, values: readonly string[]) =>
    values.map((value) => `<${name}>${value}</${name}>`).join("");
  return (
    '<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>' +
    tags("AllowedOrigin", rule.allowedOrigins) +
    tags("AllowedMethod", rule.allowedMethods) +
    tags("AllowedHeader", rule.allowedHeaders) +
    tags("ExposeHeader", rule.exposedHeaders) +
    `<MaxAgeSeconds>${rule.maxAgeSeconds}</MaxAgeSeconds></CORSRule></CORSConfiguration>`
  );
}

/** PutBucketCors (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html), signed by aws4fetch. */
export async function putBucketCors(config: S3TestConfig, rule: CorsRule): Promise<void> {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    region: config.region,
    service: "s3",
    retries: 0,
  });
  const body = corsConfiguration(rule);
  const response = await client.fetch(`${config.endpoint.replace(/\/$/, "")}/${config.bucket}?cors`, {
    method: "PUT",
    // S3 requires an integrity check on this call.
    headers: { "content-md5": createHash("md5").update(body).digest("base64"), "content-type": "application/xml" },
    body,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`PutBucketCors on ${config.bucket} failed: ${response.status} ${text.slice(0, 300)}`);
}

export default async function setup(project: TestProject): Promise<void> {
  await putBucketCors(project.getProvidedContext().s3, S3_CORS);
}
