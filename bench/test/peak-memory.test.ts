import { describe, expect, it } from "vitest";
import { memoryTable, runIsolated, runMemoryGroup } from "../src/peak-memory.ts";

const fixture = new URL("./__fixtures__/allocate.ts", import.meta.url).pathname;

describe("peak memory", () => {
  it("sees what a case holds at its peak, each case in its own process", { timeout: 60_000 }, () => {
    const small = runIsolated({ name: "small", module: fixture, exportName: "allocate", args: { mib: 1 } });
    const large = runIsolated({ name: "large", module: fixture, exportName: "allocate", args: { mib: 200 } });
    expect(large.peakRss - small.peakRss).toBeGreaterThan(150 * 2 ** 20);
    expect(small.peakRss).toBeLessThan(large.peakRss);
    // The baseline is taken with the module loaded, so the growth is what the call itself held.
    expect(large.peakRss - large.baselineRss).toBeGreaterThan(190 * 2 ** 20);
    expect(small.peakRss - small.baselineRss).toBeLessThan(40 * 2 ** 20);
  });

  it("reports the highest peak over the rounds in a table with the budget", { timeout: 60_000 }, () => {
    const result = runMemoryGroup({
      title: "allocate",
      budgetBytes: 64 * 2 ** 20,
      bytes: 100 * 2 ** 20,
      rounds: 2,
      cases: [
        { name: "fusio allocate 100 MiB", module: fixture, exportName: "allocate", args: { mib: 100 } },
        { name: "fusio allocate 1 MiB", module: fixture, exportName: "allocate", args: { mib: 1 } },
        { name: "peer allocate 1 MiB", module: fixture, exportName: "allocate", args: { mib: 1 } },
      ],
    });
    expect(result.results[0]?.peakRss).toBeGreaterThan(100 * 2 ** 20);
    expect(result.results[0]?.growth).toBeGreaterThan(90 * 2 ** 20);
    const table = memoryTable(result);
    expect(table).toContain("Budget for fusio: 64 MiB above the baseline");
    // case | above baseline | within budget | peak | baseline | seconds | MB/s
    expect(table).toMatch(/\| fusio allocate 100 MiB \| \d+ \| \*\*no\*\* \| \d+ \| \d+ \| \d+\.\d\d \| \d+ \|/);
    expect(table).toMatch(/\| fusio allocate 1 MiB \| \d+ \| yes \|/);
    expect(table).toMatch(/\| peer allocate 1 MiB \| \d+ \| — \|/);
  });

  it("says which case failed and why", () => {
    expect(() => runIsolated({ name: "missing", module: fixture, exportName: "nope" })).toThrow(/missing failed/);
  });
});
