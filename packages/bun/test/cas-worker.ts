// The child process of the multi-process CAS tests, run by Bun (modes: see runCasWorker).
import { runCasWorker } from "../../node/test/workers/runtime-cas-worker.ts";
import { BunFs } from "../src/index.ts";

await runCasWorker((root) => new BunFs({ root }));
