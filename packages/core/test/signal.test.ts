import { FusioError, sleep } from "@fusio/core";
import { describe, expect, it } from "vitest";

describe("sleep", () => {
  const context = { op: "retry", backend: "test" };

  it("resolves after the time", async () => {
    const started = Date.now();
    await sleep(20, undefined, context);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("rejects Aborted at once when the signal fired already", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const error = await sleep(60_000, controller.signal, context).catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Aborted")).toBe(true);
    expect(error).toMatchObject({ op: "retry", backend: "test" });
  });

  it("rejects Aborted as soon as the signal fires while it waits", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal, context);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((error: unknown) => FusioError.is(error, "Aborted"));
  });
});
