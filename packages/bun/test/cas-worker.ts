// The child process of the multi-process CAS tests, run by Bun (modes: see runCasWorker).
import { runCasWorker } from "@fusio-internal/test-support/disk/runtime-cas-worker";
import { BunFs } from "../src/index.ts";

await runCasWorker((root) => new BunFs({ root }));
