// unstorage with its S3 driver (aws4fetch underneath). It has no ranged read: the job reads the
// whole object and keeps bytes 100..199. Keys use ":" as the separator.
import { createStorage } from "unstorage";
import s3Driver from "unstorage/drivers/s3";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const storage = createStorage({
    driver: s3Driver({
      endpoint: target.endpoint,
      region: target.region,
      bucket: target.bucket,
      accessKeyId: target.accessKeyId,
      secretAccessKey: target.secretAccessKey,
    }),
  });
  const whole = (await storage.getItemRaw<Uint8Array>(target.readKey)) ?? new Uint8Array();
  await storage.setItemRaw(target.writeKey, target.data);
  const listed = (await storage.getKeys(target.listPrefix)).map((key) => key.replaceAll(":", "/"));
  return { read: new Uint8Array(whole).subarray(100, 200), listed };
}
