import { expect, it } from "vitest";

it("runs inside Bun", () => {
  expect(typeof (globalThis as { Bun?: { version?: unknown } }).Bun?.version).toBe("string");
  expect(typeof process.versions.bun).toBe("string");
});
