// Messages say where an error came from: `Kind [backend op "path"]: ...`. The other tests assert
// kinds only (code branches on `kind`); this one checks that a person reading a log line can
// tell which call on which backend failed.
import { FusioError } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { describe, expect, it } from "vitest";

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

describe("MemoryFs error messages name the backend and the call", () => {
  const bytes = new TextEncoder().encode("hello");

  it("on the Fs", async () => {
    const fs = new MemoryFs();
    await fs.putConditional("held", bytes, { ifNotExists: true });
    const aborted = AbortSignal.abort();

    expect((await rejection(() => fs.open("missing/file"))).message).toMatch(
      /^NotFound \[memory open "missing\/file"\]: /,
    );
    expect((await rejection(() => fs.stat("a//b"))).message).toMatch(/^InvalidPath \[memory stat "a\/\/b"\]: /);
    expect((await rejection(() => fs.copy("held", "a/../b"))).message).toMatch(
      /^InvalidPath \[memory copy "a\/\.\.\/b"\]: /,
    );
    expect((await rejection(() => fs.link("held", "other"))).message).toMatch(/^Unsupported \[memory link "held"\]: /);
    expect((await rejection(() => fs.stat("held", { signal: aborted }))).message).toMatch(
      /^Aborted \[memory stat "held"\]: /,
    );
    expect((await rejection(() => fs.putConditional("held", bytes, { ifNotExists: true }))).message).toMatch(
      /^PreconditionFailed \[memory putConditional "held"\]: /,
    );
  });

  it("on a File", async () => {
    const fs = new MemoryFs();
    await fs.putConditional("held", bytes, { ifNotExists: true });
    const file = await fs.open("held");

    expect((await rejection(() => file.writeAll(bytes))).message).toMatch(
      /^PermissionDenied \[memory writeAll "held"\]: the file was not opened for writing/,
    );
    expect((await rejection(() => file.readExactAt(new Uint8Array(10), 0))).message).toMatch(
      /^UnexpectedEof \[memory readExactAt "held"\]: /,
    );
    await file.close();
    expect((await rejection(() => file.size())).message).toMatch(/^Closed \[memory size "held"\]: /);
  });
});
