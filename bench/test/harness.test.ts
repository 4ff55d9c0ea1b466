import { describe, expect, it } from "vitest";
import { caseOrder } from "../src/harness.ts";

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
