import { OpfsFs } from "@fusio/opfs";
import { afterAll, describe, expect, it } from "vitest";
import { callWorker } from "../src/worker-rpc.ts";
import type { largeMethods } from "./workers/large.worker.ts";

const worker = new Worker(new URL("./workers/large.worker.ts", import.meta.url), { type: "module" });
afterAll(() => worker.terminate());

const tail = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const page = new OpfsFs();

describe("OPFS positions beyond 2 GiB (sparse file written in a dedicated worker, read there and on the page)", () => {
  for (const start of [2 ** 31 + 3, 2 ** 32 + 5]) {
    it(`appends at ${start} and reads back at and around it`, async () => {
      const dir = `large-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const result = await callWorker<typeof largeMethods, "appendAndReadBack">(
        worker,
        "appendAndReadBack",
        dir,
        start,
        tail,
      );
      expect(result).toEqual({
        sizeBefore: start,
        sizeAfter: start + tail.length,
        tail,
        toEnd: tail,
        acrossStart: [0, 0, 1, 2],
        listedSize: start + tail.length,
        pastEnd: "UnexpectedEof",
      });
      // The main thread reads the same positions from a File snapshot.
      const path = `${dir}/sparse.bin`;
      const file = await page.open(path);
      try {
        expect(await file.size()).toBe(start + tail.length);
        expect([...(await file.readExactAt(new Uint8Array(4), start - 2))]).toEqual([0, 0, 1, 2]);
        expect([...(await file.readToEndAt(start))]).toEqual(tail);
      } finally {
        await file.close();
        await page.remove(path);
      }
    });
  }
});
