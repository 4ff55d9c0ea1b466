import { FusioError, normalizeOpenOptions, type OpenOptions } from "@fusio/core";
import { describe, expect, it } from "vitest";

describe("normalizeOpenOptions", () => {
  const cases: [OpenOptions | undefined, Partial<ReturnType<typeof normalizeOpenOptions>>][] = [
    [undefined, { read: true, write: false, create: false, truncate: false, append: false }],
    [{}, { read: true, write: false, append: false }],
    [{ write: true }, { read: true, write: true, append: true, truncate: false }],
    [{ create: true }, { read: true, write: true, create: true, append: true }],
    [{ truncate: true }, { write: true, truncate: true, append: false }],
    [
      { create: true, truncate: true },
      { write: true, create: true, truncate: true, append: false },
    ],
    [
      { write: true, read: false },
      { read: false, write: true, append: true },
    ],
    [{ create: true, syncOnClose: "data" }, { syncOnClose: "data" }],
  ];
  for (const [input, expected] of cases) {
    it(`applies fusio's rules to ${JSON.stringify(input)}`, () => {
      expect(normalizeOpenOptions(input)).toMatchObject(expected);
    });
  }

  it("rejects contradictions with InvalidArgument", () => {
    const bad: unknown[] = [
      { create: true, write: false },
      { truncate: true, write: false },
      { read: false },
      { syncOnClose: "all" },
      { write: true, syncOnClose: "sometimes" },
      null,
      "rw",
    ];
    for (const options of bad) {
      try {
        normalizeOpenOptions(options as OpenOptions);
        expect.unreachable(`accepted ${JSON.stringify(options)}`);
      } catch (error) {
        expect(FusioError.is(error, "InvalidArgument")).toBe(true);
      }
    }
  });
});
