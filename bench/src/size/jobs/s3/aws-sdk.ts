// The official SDK: S3Client + GetObject with a Range, lib-storage's Upload (the SDK's streaming
// writer, the counterpart of a fusio writer), ListObjectsV2.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    // Ceph RGW rejects the SDK's default trailing checksums.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  const got = await client.send(
    new GetObjectCommand({ Bucket: target.bucket, Key: target.readKey, Range: "bytes=100-199" }),
  );
  const read = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
  await new Upload({ client, params: { Bucket: target.bucket, Key: target.writeKey, Body: target.data } }).done();
  const listed: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.listPrefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) listed.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  return { read, listed };
}
