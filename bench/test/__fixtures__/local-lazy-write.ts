// Reached only through local-lazy-job.ts's dynamic import.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LocalTarget } from "../../src/size/target.ts";

export async function write(target: LocalTarget): Promise<void> {
  const out = join(target.root, target.writeKey);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, target.data);
}
