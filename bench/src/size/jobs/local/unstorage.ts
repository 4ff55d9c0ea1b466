// unstorage with its fs driver. No ranged read: the job reads the whole file and keeps bytes
// 1000..1099.
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import type { JobOutput, LocalTarget } from "../../target.ts";

export default async function job(target: LocalTarget): Promise<JobOutput> {
  const storage = createStorage({ driver: fsDriver({ base: target.root }) });
  const whole = (await storage.getItemRaw<Uint8Array>(target.readKey)) ?? new Uint8Array();
  await storage.setItemRaw(target.writeKey, target.data);
  return { read: new Uint8Array(whole).subarray(1000, 1100) };
}
