import { expect, it } from "vitest";

it("runs inside Deno", () => {
  expect(typeof (globalThis as { Deno?: { version?: { deno?: unknown } } }).Deno?.version?.deno).toBe("string");
});
