import { describe, expect, it } from "vitest";
import { caseOrder, headline, summarize, summaryTable } from "../src/harness.ts";

describe("caseOrder", () => {
  it.each([2, 3, 4, 5, 6])(
    "with %i cases: every round runs each case once, and every case follows every other equally often",
    (n) => {
      const rounds = n % 2 === 1 ? 2 * n : n;
      const follows = new Map<string, number>();
      for (let round = 0; round < rounds; round++) {
        const order = caseOrder(n, round);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        for (let i = 1; i < n; i++)
          follows.set(`${order[i - 1]}>${order[i]}`, (follows.get(`${order[i - 1]}>${order[i]}`) ?? 0) + 1);
      }
      // n (n - 1) ordered pairs, each as often: once over n rounds, twice over 2n when n is odd.
      expect(follows.size).toBe(n * (n - 1));
      expect(new Set(follows.values())).toEqual(new Set([n % 2 === 1 ? 2 : 1]));
    },
  );

  it("is not a rotation: a case does not always follow the same one", () => {
    const before = new Set<number>();
    for (let round = 0; round < 4; round++) {
      const order = caseOrder(4, round);
      const at = order.indexOf(3);
      if (at > 0) before.add(order[at - 1] as number);
    }
    expect(before.size).toBeGreaterThan(1);
  });
});

describe("headline and summaryTable", () => {
  const rates = new Map([
    ["floor", [100, 200, 100]],
    ["fusio default", [95, 150, 99]],
    ["sdk", [50, 50, 50]],
  ]);

  it("divides the default case by the floor, by medians and round by round", () => {
    const line = headline(rates, "fusio default", "floor");
    expect(line.ratio).toBeCloseTo(99 / 100);
    // Per round: 0.95, 0.75, 0.99.
    expect(line.pairedRatio).toBeCloseTo(0.95);
  });

  it("refuses a case name the group does not have", () => {
    expect(() => headline(rates, "fusio", "floor")).toThrow(/no case named fusio/);
  });

  it("lists every group that names a default case, and only those", () => {
    const group = summarize({ title: "G", baseline: "sdk", unit: "ops/s", rounds: 3 }, rates);
    const table = summaryTable([
      { ...group, headline: headline(rates, "fusio default", "floor") },
      { ...group, title: "no headline" },
    ]);
    expect(table.split("\n")).toEqual([
      "| group | default configuration | floor | ratio | paired ratio |",
      "|---|---|---|---:|---:|",
      "| G | fusio default | floor | 0.990 | 0.950 |",
    ]);
  });
});
