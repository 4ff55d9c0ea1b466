import { FusioError } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { describe, expect, it } from "vitest";

// Tags change on every write, also when a write leaves the same bytes (OPFS keeps no entity tag
// of its own; a content digest alone would repeat).
const fs = new OpfsFs();
const base = `tags-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

async function tagOf(path: string): Promise<string | undefined> {
  return (await fs.loadWithTag(path))?.tag;
}

async function rejectsKind(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return FusioError.is(error) ? error.kind : String(error);
  }
  return "resolved";
}

describe("OPFS tags change on every write", () => {
  it("rewriting the same bytes, by putConditional or a plain write, gives a new tag", async () => {
    const path = `${base}/same.txt`;
    const first = await fs.putConditional(path, bytes("v1"), { ifNotExists: true });
    const second = await fs.putConditional(path, bytes("v1"), { ifMatch: first });
    expect(second).not.toBe(first);
    expect(await tagOf(path)).toBe(second);
    const file = await fs.open(path, { truncate: true });
    await file.writeAll(bytes("v1"));
    await file.close();
    const third = await tagOf(path);
    expect(third).not.toBe(second);
    expect(await rejectsKind(() => fs.putConditional(path, bytes("v2"), { ifMatch: second }))).toBe(
      "PreconditionFailed",
    );
  });

  it("removing and creating the same bytes again gives a new tag", async () => {
    const path = `${base}/again.txt`;
    const first = await fs.putConditional(path, bytes("same"), { ifNotExists: true });
    await fs.remove(path);
    expect(await tagOf(path)).toBe(undefined);
    const second = await fs.putConditional(path, bytes("same"), { ifNotExists: true });
    expect(second).not.toBe(first);
    expect(await rejectsKind(() => fs.putConditional(path, bytes("x"), { ifMatch: first }))).toBe("PreconditionFailed");
  });

  it("the tags directory is hidden from list and refused as a path", async () => {
    await fs.putConditional(`${base}/listed.txt`, bytes("x"), { ifNotExists: true });
    const names: string[] = [];
    for await (const entry of fs.list("")) names.push(entry.path.raw);
    expect(names).toContain(base);
    expect(names).not.toContain(".fusio-tags");
    expect(await rejectsKind(() => fs.stat(".fusio-tags"))).toBe("InvalidPath");
  });
});
