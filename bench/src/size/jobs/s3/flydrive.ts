// flydrive 1.3 (the Node 20 line) with its S3 driver on the AWS SDK. It has no ranged read:
// the job reads the whole object and keeps bytes 100..199.
import { Disk } from "flydrive";
import { S3Driver } from "flydrive/drivers/s3";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const disk = new Disk(
    new S3Driver({
      endpoint: target.endpoint,
      region: target.region,
      forcePathStyle: true,
      credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      bucket: target.bucket,
      visibility: "private",
      supportsACL: false,
    }),
  );
  const whole = await disk.getBytes(target.readKey);
  await disk.put(target.writeKey, target.data);
  const listed: string[] = [];
  for (const entry of (await disk.listAll(target.listPrefix, { recursive: true })).objects) {
    if (entry.isFile) listed.push(entry.key);
  }
  return { read: whole.subarray(100, 200), listed };
}
