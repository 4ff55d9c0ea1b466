// CAS between worker threads of one process (same pid, separate module instances).
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { decode, tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

const here = dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(join(here, "../node_modules/tsx/dist/esm/api/index.mjs")).href;
const worker = pathToFileURL(join(here, "workers/thread-worker.ts")).href;

describe("NodeFs across worker threads", () => {
  it("4 threads and the main thread incrementing one counter lose no update", async () => {
    const dir = tempDir("threads");
    try {
      const fs = new NodeFs({ root: dir.path });
      await fs.putConditional("counter.json", text(JSON.stringify({ n: 0 })), { ifNotExists: true });
      const count = 15;
      const threads = Array.from(
        { length: 4 },
        () =>
          // Register tsx first, then load the TypeScript worker through it.
          new Worker(
            `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(worker)}))`,
            {
              eval: true,
              workerData: { root: dir.path, key: "counter.json", count },
              execArgv: ["--conditions=source"],
            },
          ),
      );
      const done = threads.map(
        (thread) =>
          new Promise<number>((resolve, reject) => {
            thread.once("message", resolve);
            thread.once("error", reject);
          }),
      );
      let mine = 0;
      while (mine < count) {
        const current = await fs.loadWithTag("counter.json");
        const n = (JSON.parse(decode(current?.data ?? text("{}"))) as { n: number }).n + 1;
        await fs.putConditional("counter.json", text(JSON.stringify({ n })), { ifMatch: current?.tag as string }).then(
          () => mine++,
          () => undefined,
        );
      }
      expect(await Promise.all(done)).toEqual([count, count, count, count]);
      const final = JSON.parse(decode((await fs.loadWithTag("counter.json"))?.data ?? text("{}"))) as { n: number };
      expect(final.n).toBe(5 * count);
      await Promise.all(threads.map((thread) => thread.terminate()));
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
