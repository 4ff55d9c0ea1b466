import { describe, expect, it } from "vitest";
import { coalesce } from "../src/internal/ranges.ts";

const shape = (reads: ReturnType<typeof coalesce>): Array<[number, number, number]> =>
  reads.map((read) => [read.start, read.end, read.members.length]);

describe("coalesce", () => {
  it.each([
    ["nothing", [], 0, 100, []],
    ["one range", [[10, 20]], 0, 100, [[10, 20, 1]]],
    [
      "touching ranges merge with gap 0",
      [
        [0, 10],
        [10, 20],
      ],
      0,
      100,
      [[0, 20, 2]],
    ],
    [
      "overlapping and duplicate ranges merge",
      [
        [0, 10],
        [5, 15],
        [5, 15],
      ],
      0,
      100,
      [[0, 15, 3]],
    ],
    [
      "a gap larger than allowed splits",
      [
        [0, 10],
        [21, 30],
      ],
      10,
      100,
      [
        [0, 10, 1],
        [21, 30, 1],
      ],
    ],
    [
      "a gap within the limit merges",
      [
        [0, 10],
        [20, 30],
      ],
      10,
      100,
      [[0, 30, 2]],
    ],
    [
      "unsorted input comes out in file order",
      [
        [50, 60],
        [0, 10],
      ],
      0,
      100,
      [
        [0, 10, 1],
        [50, 60, 1],
      ],
    ],
    [
      "the read size limit splits",
      [
        [0, 40],
        [40, 80],
        [80, 120],
      ],
      0,
      80,
      [
        [0, 80, 2],
        [80, 120, 1],
      ],
    ],
    ["a range longer than the limit is read whole", [[0, 500]], 0, 100, [[0, 500, 1]]],
    [
      "a range inside another joins it",
      [
        [0, 100],
        [10, 20],
      ],
      0,
      100,
      [[0, 100, 2]],
    ],
  ] as const)("%s", (_, ranges, gap, maxRead, expected) => {
    const input = ranges.map(([start, end]) => ({ start, end }));
    expect(shape(coalesce(input, gap, maxRead))).toEqual(expected);
  });
});
