// The child process of the multi-process CAS tests, run by Deno (modes: see runCasWorker).
import { runCasWorker } from "../../node/test/workers/runtime-cas-worker.ts";
import { DenoFs } from "../src/index.ts";

await runCasWorker((root) => new DenoFs({ root }));
