// A worker thread for the threads test: N tag-guarded increments of a JSON counter.
import { parentPort, workerData } from "node:worker_threads";
import { FusioError } from "@fusio/core";
import { NodeFs } from "../node-fs.ts";

const { root, key, count } = workerData as { root: string; key: string; count: number };
const fs = new NodeFs({ root });
let wins = 0;
while (wins < count) {
  const current = await fs.loadWithTag(key);
  const n = (JSON.parse(new TextDecoder().decode(current?.data)) as { n: number }).n + 1;
  try {
    await fs.putConditional(key, new TextEncoder().encode(JSON.stringify({ n })), { ifMatch: current?.tag as string });
    wins++;
  } catch (error) {
    if (!FusioError.is(error, "PreconditionFailed")) throw error;
  }
}
parentPort?.postMessage(wins);
