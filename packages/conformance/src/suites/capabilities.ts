import type { Capabilities, Fs } from "@fusio/core";
import type { Define } from "../context.ts";

/** The Fs describes itself honestly. */
export function capabilityTests<F extends Fs>(test: Define<F>, expected?: Capabilities): void {
  test("kind, id and capabilities are well formed", async (t) => {
    t.expect(typeof t.fs.kind === "string" && t.fs.kind.length > 0).toBe(true);
    t.expect(typeof t.fs.id === "string" && t.fs.id.length > 0).toBe(true);
    const caps = t.fs.capabilities;
    for (const flag of ["link", "copy", "cas", "directories", "visibleBeforeClose"] as const) {
      t.expect(`${flag}: ${typeof caps[flag]}`).toBe(`${flag}: boolean`);
    }
    t.expect(Array.isArray(caps.sync) && caps.sync.every((level) => level === "data" || level === "all")).toBe(true);
    if (expected)
      t.expect({ ...caps, sync: [...caps.sync].sort() }).toEqual({ ...expected, sync: [...expected.sync].sort() });
  });
}
