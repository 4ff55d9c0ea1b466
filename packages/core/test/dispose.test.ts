import "@fusio/core";
import { expect, it } from "vitest";

it("Symbol.asyncDispose exists once @fusio/core is loaded (Node 20 lacks it)", () => {
  expect(typeof Symbol.asyncDispose).toBe("symbol");
  // Node's own resources use this registered symbol on Node 20; native symbols elsewhere.
  if (process.versions.node.startsWith("20.")) expect(Symbol.asyncDispose).toBe(Symbol.for("nodejs.asyncDispose"));
});
