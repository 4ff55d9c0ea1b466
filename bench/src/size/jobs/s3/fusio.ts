// fusio on S3: S3Fs with static credentials, a ranged read, a write (single PUT when small),
// a recursive list. The default signer and fetch client: nothing opted in.
import { S3Fs } from "@fusio/s3";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const fs = new S3Fs({
    endpoint: target.endpoint,
    region: target.region,
    bucket: target.bucket,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
  const file = await fs.open(target.readKey);
  const read = await file.readExactAt(new Uint8Array(100), 100);
  await file.close();
  const out = await fs.open(target.writeKey, { create: true, truncate: true });
  await out.writeAll(target.data);
  await out.close();
  const listed: string[] = [];
  for await (const entry of fs.list(target.listPrefix, { recursive: true })) listed.push(entry.path.toString());
  return { read, listed };
}
