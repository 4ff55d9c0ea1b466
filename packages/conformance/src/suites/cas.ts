import { type Fs, isCasFs } from "@fusio/core";
import type { ConformanceOverrides } from "../api.ts";
import { type Define, expectKind, sameBytes, text } from "../context.ts";

/** Conditional writes, when `capabilities.cas` is on; otherwise that `isCasFs` says no. */
export function casTests<F extends Fs>(test: Define<F>, overrides: ConformanceOverrides = {}): void {
  const racers = overrides.casRacers ?? 16;

  test("capability cas matches isCasFs", async (t) => {
    t.expect(isCasFs(t.fs)).toBe(t.fs.capabilities.cas);
  });

  const casTest = (name: string, body: Parameters<Define<F>>[1]): void =>
    test(`CAS: ${name}`, async (t) => {
      if (!t.fs.capabilities.cas) {
        t.expect(isCasFs(t.fs)).toBe(false);
        return;
      }
      await body(t);
    });

  casTest("loadWithTag of a missing path is undefined", async (t) => {
    if (!isCasFs(t.fs)) return;
    t.expect(await t.fs.loadWithTag(t.at("none"))).toBe(undefined);
  });

  casTest("ifNotExists creates once, then rejects PreconditionFailed and keeps the content", async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("head.json");
    const tag = await fs.putConditional(path, text("v1"), { ifNotExists: true }, { contentType: "application/json" });
    t.expect(typeof tag).toBe("string");
    const loaded = await fs.loadWithTag(path);
    t.expect(loaded?.tag).toBe(tag);
    sameBytes(t.expect, loaded?.data ?? new Uint8Array(), text("v1"));
    await t.rejects(
      () => fs.putConditional(path, text("v2"), { ifNotExists: true }),
      "PreconditionFailed",
      `putConditional(path, text("v2"), { ifNotExists: true })`,
    );
    sameBytes(t.expect, await t.get(path), text("v1"));
  });

  casTest("ifMatch with the current tag replaces the content and changes the tag", async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("swap.json");
    const first = await fs.putConditional(path, text("v1"), { ifNotExists: true });
    const second = await fs.putConditional(
      path,
      text("v2"),
      { ifMatch: first },
      { metadata: { writer: "conformance" } },
    );
    t.expect(second === first).toBe(false);
    const loaded = await fs.loadWithTag(path);
    t.expect(loaded?.tag).toBe(second);
    sameBytes(t.expect, loaded?.data ?? new Uint8Array(), text("v2"));
  });

  casTest("a stale tag, a made-up tag and ifMatch on a missing path reject PreconditionFailed", async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("stale.json");
    const first = await fs.putConditional(path, text("v1"), { ifNotExists: true });
    await fs.putConditional(path, text("v2"), { ifMatch: first });
    await t.rejects(
      () => fs.putConditional(path, text("v3"), { ifMatch: first }),
      "PreconditionFailed",
      `putConditional(path, text("v3"), { ifMatch: first })`,
    );
    await t.rejects(
      () => fs.putConditional(path, text("v3"), { ifMatch: '"not-a-tag"' }),
      "PreconditionFailed",
      `putConditional(path, text("v3"), { ifMatch: '"not-a-tag"' })`,
    );
    await t.rejects(
      () => fs.putConditional(t.at("missing.json"), text("v1"), { ifMatch: first }),
      "PreconditionFailed",
      `putConditional("missing.json", text("v1"), { ifMatch: first })`,
    );
    await t.rejects(() => fs.stat(t.at("missing.json")), "NotFound", `stat("missing.json")`);
    sameBytes(t.expect, await t.get(path), text("v2"));
  });

  casTest("a plain write changes the tag", async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("plain.json");
    const tag = await fs.putConditional(path, text("v1"), { ifNotExists: true });
    const file = await fs.open(path, { write: true });
    await file.writeAll(text("+plain"));
    await file.close();
    const loaded = await fs.loadWithTag(path);
    t.expect(loaded?.tag === tag).toBe(false);
    sameBytes(t.expect, loaded?.data ?? new Uint8Array(), text("v1+plain"));
    await t.rejects(
      () => fs.putConditional(path, text("v2"), { ifMatch: tag }),
      "PreconditionFailed",
      `putConditional(path, text("v2"), { ifMatch: tag })`,
    );
    const truncated = await fs.open(path, { truncate: true });
    await truncated.writeAll(text("v1"));
    await truncated.close();
    const again = await fs.loadWithTag(path);
    t.expect(again?.tag === loaded?.tag).toBe(false);
  });

  casTest(`${racers} concurrent writers with the same tag: exactly one wins`, async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("race.json");
    const tag = await fs.putConditional(path, text("start"), { ifNotExists: true });
    const results = await Promise.allSettled(
      Array.from({ length: racers }, (_, i) => fs.putConditional(path, text(`writer-${i}`), { ifMatch: tag })),
    );
    const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
    t.expect(winners.length).toBe(1);
    for (const [i, result] of results.entries()) {
      if (result.status === "rejected") {
        expectKind(
          t.expect,
          `putConditional(path, "writer-${i}", { ifMatch: tag })`,
          result.reason,
          "PreconditionFailed",
        );
      }
    }
    const loaded = await fs.loadWithTag(path);
    sameBytes(t.expect, loaded?.data ?? new Uint8Array(), text(`writer-${winners[0]}`));
    t.expect(loaded?.tag).toBe((results[winners[0] as number] as PromiseFulfilledResult<string>).value);
  });

  casTest(`${racers} concurrent creators with ifNotExists: exactly one wins`, async (t) => {
    if (!isCasFs(t.fs)) return;
    const fs = t.fs;
    const path = t.at("create-race.json");
    const results = await Promise.allSettled(
      Array.from({ length: racers }, (_, i) => fs.putConditional(path, text(`creator-${i}`), { ifNotExists: true })),
    );
    const winners = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
    t.expect(winners.length).toBe(1);
    sameBytes(t.expect, await t.get(path), text(`creator-${winners[0]}`));
  });
}
