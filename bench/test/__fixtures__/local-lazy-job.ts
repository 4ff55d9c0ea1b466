// The local job with its write half loaded on first use: a lazy chunk the job does load.
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { JobOutput, LocalTarget } from "../../src/size/target.ts";

export default async function job(target: LocalTarget): Promise<JobOutput> {
  const handle = await open(join(target.root, target.readKey), "r");
  const read = new Uint8Array(100);
  try {
    await handle.read(read, 0, 100, 1000);
  } finally {
    await handle.close();
  }
  const { write } = await import("./local-lazy-write.ts");
  await write(target);
  return { read };
}
