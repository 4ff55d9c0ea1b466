import { nodeSigner } from "@fusio/s3/node-signer";

/** How the tests reach their S3 server. */
export interface S3TestConfig {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  region: string;
  /** The server is Ceph RGW Pacific: the tests turn on `CEPH_PACIFIC_COMPAT`. */
  cephPacific: boolean;
}

/** PUT /bucket (CreateBucket); an existing bucket of ours is fine. */
export async function createBucket(config: S3TestConfig): Promise<void> {
  const url = new URL(`${config.endpoint.replace(/\/$/, "")}/${config.bucket}`);
  const datetime = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
  const headers: Record<string, string> = {
    "x-amz-date": datetime,
    "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
  };
  headers.authorization = nodeSigner.authorization({
    method: "PUT",
    host: url.host,
    path: url.pathname,
    query: "",
    headers,
    datetime,
    region: config.region,
    service: "s3",
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  }) as string;
  const response = await fetch(url, { method: "PUT", headers });
  const text = await response.text();
  if (!response.ok && !text.includes("BucketAlreadyOwnedByYou")) {
    throw new Error(`creating bucket ${config.bucket} failed: ${response.status} ${text.slice(0, 300)}`);
  }
}
