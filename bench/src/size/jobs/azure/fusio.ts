// fusio on Azure Blob: AzureBlobFs with Shared Key, a ranged read, a write (Put Blob when
// small), a recursive list. The default fetch client.
import { AzureBlobFs } from "@fusio/azure";
import type { AzureTarget, JobOutput } from "../../target.ts";

export default async function job(target: AzureTarget): Promise<JobOutput> {
  const fs = new AzureBlobFs({
    account: target.accountName,
    container: target.container,
    endpoint: target.accountUrl,
    credential: { accountKey: target.accountKey },
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
