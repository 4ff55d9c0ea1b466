// The floor: node:fs/promises alone.
import { mkdir, open, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { JobOutput, LocalTarget } from "../../target.ts";

export default async function job(target: LocalTarget): Promise<JobOutput> {
  const handle = await open(join(target.root, target.readKey), "r");
  const read = new Uint8Array(100);
  try {
    await handle.read(read, 0, 100, 1000);
  } finally {
    await handle.close();
  }
  const out = join(target.root, target.writeKey);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, target.data);
  return { read };
}
