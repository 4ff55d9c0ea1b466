// Messages say where an error came from: `Kind [backend op "path"]: ...`. The other tests assert
// kinds only (code branches on `kind`); this one checks that a person reading a log line can
// tell which call on which backend failed, also for errors mapped from an errno.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FusioError } from "@fusio/core";
import { NodeFs } from "@fusio/node";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "fusio-node-messages-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function rejection(call: () => Promise<unknown>): Promise<FusioError> {
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  if (!FusioError.is(error)) throw new Error(`expected a FusioError, got ${String(error)}`);
  return error;
}

describe("NodeFs error messages name the backend and the call", () => {
  const bytes = new TextEncoder().encode("hello");

  it("on the Fs", async () => {
    const fs = new NodeFs({ root });
    await fs.putConditional("dir/held", bytes, { ifNotExists: true });

    expect((await rejection(() => fs.open("missing/file"))).message).toMatch(
      /^NotFound \[node open "missing\/file"\]: /,
    );
    expect((await rejection(() => fs.open("dir"))).message).toMatch(/^IsADirectory \[node open "dir"\]: /);
    expect((await rejection(() => fs.stat("a/../b"))).message).toMatch(/^InvalidPath \[node stat "a\/\.\.\/b"\]: /);
    expect((await rejection(() => fs.link("dir/held", "a//b"))).message).toMatch(
      /^InvalidPath \[node link "a\/\/b"\]: /,
    );
    expect((await rejection(() => fs.copy("missing", "copy"))).message).toMatch(/^NotFound \[node copy "missing"\]: /);
    expect((await rejection(() => fs.putConditional("dir/held", bytes, { ifNotExists: true }))).message).toMatch(
      /^PreconditionFailed \[node putConditional "dir\/held"\]: /,
    );
  });

  it("on a File", async () => {
    const fs = new NodeFs({ root });
    await fs.putConditional("file", bytes, { ifNotExists: true });
    const file = await fs.open("file");

    expect((await rejection(() => file.writeAll(bytes))).message).toMatch(
      /^PermissionDenied \[node writeAll "file"\]: the file was not opened for writing/,
    );
    expect((await rejection(() => file.readExactAt(new Uint8Array(10), 0))).message).toMatch(
      /^UnexpectedEof \[node readExactAt "file"\]: /,
    );
    await file.close();
    expect((await rejection(() => file.size())).message).toMatch(/^Closed \[node size "file"\]: /);
  });
});
