// fusio on local disk: NodeFs, a positional read into the caller's buffer, a truncating write.
import { NodeFs } from "@fusio/node";
import type { JobOutput, LocalTarget } from "../../target.ts";

export default async function job(target: LocalTarget): Promise<JobOutput> {
  const fs = new NodeFs({ root: target.root });
  const file = await fs.open(target.readKey);
  const read = await file.readExactAt(new Uint8Array(100), 1000);
  await file.close();
  const out = await fs.open(target.writeKey, { create: true, truncate: true });
  await out.writeAll(target.data);
  await out.close();
  return { read };
}
