// flydrive 1.3 (the Node 20 line) with its fs driver. No ranged read: the job reads the whole
// file and keeps bytes 1000..1099.
import { Disk } from "flydrive";
import { FSDriver } from "flydrive/drivers/fs";
import type { JobOutput, LocalTarget } from "../../target.ts";

export default async function job(target: LocalTarget): Promise<JobOutput> {
  const disk = new Disk(new FSDriver({ location: target.root, visibility: "private" }));
  const whole = await disk.getBytes(target.readKey);
  await disk.put(target.writeKey, target.data);
  return { read: whole.subarray(1000, 1100) };
}
