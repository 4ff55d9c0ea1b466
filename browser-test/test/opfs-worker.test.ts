import { describeWorkerSuite } from "../src/page-suite.ts";

// The conformance suite runs inside a dedicated worker (sync access handles); each of its tests
// is reported here as one vitest test.
await describeWorkerSuite(
  "OpfsFs in a dedicated worker (suite run in the worker)",
  new Worker(new URL("./workers/opfs-conformance.worker.ts", import.meta.url), { type: "module" }),
);
