// The child process of the multi-process CAS tests, run by Deno (modes: see runCasWorker).
import { runCasWorker } from "@fusio-internal/test-support/disk/runtime-cas-worker";
import { DenoFs } from "../src/index.ts";

await runCasWorker((root) => new DenoFs({ root }));
