import { AwsClient } from "aws4fetch";
import type { S3Server } from "./ceph-rgw.ts";

/** How the tests reach their S3 server (`inject("s3")` after rgw-global-setup.ts). */
export interface S3TestConfig extends S3Server {
  bucket: string;
  /** The server is Ceph RGW Pacific: the tests turn on `CEPH_PACIFIC_COMPAT`. */
  cephPacific: boolean;
}

/** PUT /bucket (CreateBucket); an existing bucket of ours is fine. */
export async function createBucket(config: S3TestConfig): Promise<void> {
  // Signed by aws4fetch, not @fusio/s3: this package cannot depend on the packages whose tests use
  // it (pnpm would report a workspace cycle).
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    region: config.region,
    service: "s3",
    retries: 0,
  });
  const response = await client.fetch(`${config.endpoint.replace(/\/$/, "")}/${config.bucket}`, { method: "PUT" });
  const text = await response.text();
  if (!response.ok && !text.includes("BucketAlreadyOwnedByYou")) {
    throw new Error(`creating bucket ${config.bucket} failed: ${response.status} ${text.slice(0, 300)}`);
  }
}
