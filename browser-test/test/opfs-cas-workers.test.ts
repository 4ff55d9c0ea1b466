import { FusioError } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { afterAll, describe, expect, it } from "vitest";
import { callWorker } from "../src/worker-rpc.ts";
import type { casMethods } from "./workers/cas.worker.ts";

type Cas = typeof casMethods;
const workers = [0, 1].map(
  () => new Worker(new URL("./workers/cas.worker.ts", import.meta.url), { type: "module" }),
) as [Worker, Worker];
afterAll(() => {
  for (const worker of workers) worker.terminate();
});

const fs = new OpfsFs();
const base = `cas-race-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const read = async (path: string): Promise<string> => new TextDecoder().decode((await fs.loadWithTag(path))?.data);

describe("OPFS conditional writes raced from two dedicated workers (and the page)", () => {
  it("ifNotExists from both at once: exactly one creates the file", async () => {
    const path = `${base}/create.txt`;
    const results = await Promise.all(
      workers.map((worker, i) => callWorker<Cas, "put">(worker, "put", path, `w${i}`, null)),
    );
    const winners = results.flatMap((result, i) => ("tag" in result ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => "kind" in result)).toEqual([{ kind: "PreconditionFailed" }]);
    expect(await read(path)).toBe(`w${winners[0]}`);
  });

  it("ifMatch with the same tag from both at once: exactly one wins, and its tag is current", async () => {
    const path = `${base}/swap.txt`;
    const start = await fs.putConditional(path, new TextEncoder().encode("start"), { ifNotExists: true });
    for (let round = 0; round < 10; round++) {
      const tag = (await fs.loadWithTag(path))?.tag as string;
      const results = await Promise.all(
        workers.map((worker, i) => callWorker<Cas, "put">(worker, "put", path, `r${round}w${i}`, tag)),
      );
      const winners = results.flatMap((result, i) => ("tag" in result ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => "kind" in result)).toEqual([{ kind: "PreconditionFailed" }]);
      const loaded = await fs.loadWithTag(path);
      expect(new TextDecoder().decode(loaded?.data)).toBe(`r${round}w${winners[0]}`);
      expect(loaded?.tag).toBe((results[winners[0] as number] as { tag: string }).tag);
      expect(loaded?.tag).not.toBe(start);
    }
  });

  it("read-modify-write increments from both workers and the page lose no update", async () => {
    const path = `${base}/counter.txt`;
    const times = 40;
    await fs.putConditional(path, new TextEncoder().encode("0"), { ifNotExists: true });
    const onPage = async (): Promise<void> => {
      for (let done = 0; done < times; ) {
        const loaded = await fs.loadWithTag(path);
        const next = new TextEncoder().encode(String(Number(new TextDecoder().decode(loaded?.data)) + 1));
        await fs.putConditional(path, next, { ifMatch: loaded?.tag as string }).then(
          () => done++,
          (error) => expect(FusioError.is(error, "PreconditionFailed")).toBe(true),
        );
      }
    };
    await Promise.all([
      ...workers.map((worker) => callWorker<Cas, "increment">(worker, "increment", path, times)),
      onPage(),
    ]);
    expect(await read(path)).toBe(String(3 * times));
  });
});
