import type { Fs } from "@fusio/core";
import type { ConformanceOverrides } from "../api.ts";
import { bytes, concat, type Define, sameBytes, text } from "../context.ts";

/** Writing, appending, truncating, visibility, reads at positions, size, close. */
export function readWriteTests<F extends Fs>(test: Define<F>, overrides: ConformanceOverrides = {}): void {
  const largeSize = overrides.largeSize ?? 3 * 1024 * 1024 + 7;

  for (const [name, data] of [
    ["empty", new Uint8Array(0)],
    ["1 byte", Uint8Array.of(0xff)],
    ["every byte value", Uint8Array.from({ length: 256 }, (_, i) => i)],
    ["4097 bytes", bytes(4097, 7)],
  ] as const) {
    test(`write, close and read back: ${name}`, async (t) => {
      const path = t.at("round.bin");
      await t.put(path, data);
      sameBytes(t.expect, await t.get(path), data);
      t.expect((await t.fs.stat(path)).size).toBe(data.length);
    });
  }

  test(`a large file (${largeSize} bytes) written in uneven chunks reads back exactly`, async (t) => {
    const path = t.at("large.bin");
    const data = bytes(largeSize, 11);
    const file = await t.fs.open(path, { create: true, truncate: true });
    const chunk = 1_000_003;
    for (let offset = 0; offset < data.length; offset += chunk) {
      await file.writeAll(data.subarray(offset, offset + chunk));
    }
    await file.close();
    const reader = await t.fs.open(path);
    t.expect(await reader.size()).toBe(largeSize);
    sameBytes(t.expect, await reader.readToEndAt(0), data);
    const middle = new Uint8Array(4096);
    const at = Math.floor(largeSize / 2) - 1000;
    await reader.readExactAt(middle, at);
    sameBytes(t.expect, middle, data.subarray(at, at + 4096));
    await reader.close();
  });

  test("several writeAll calls concatenate, also when issued without waiting", async (t) => {
    const path = t.at("concat.bin");
    const file = await t.fs.open(path, { create: true, truncate: true });
    await file.writeAll(text("one,"));
    await file.writeAll(new Uint8Array(0));
    await file.writeAll(text("two,"));
    await Promise.all([file.writeAll(text("three,")), file.writeAll(text("four,")), file.writeAll(text("five"))]);
    await file.close();
    sameBytes(t.expect, await t.get(path), text("one,two,three,four,five"));
  });

  test("reopening with write appends; with truncate replaces", async (t) => {
    const path = t.at("mode.bin");
    await t.put(path, text("Hello! fusio"));
    const append = await t.fs.open(path, { write: true });
    await append.writeAll(text("Hello! world"));
    await append.close();
    sameBytes(t.expect, await t.get(path), text("Hello! fusioHello! world"));
    const truncate = await t.fs.open(path, { truncate: true });
    await truncate.writeAll(text("new"));
    await truncate.close();
    sameBytes(t.expect, await t.get(path), text("new"));
  });

  test("appending to a large file keeps every existing byte", async (t) => {
    const path = t.at("append-large.bin");
    const first = bytes(largeSize, 5);
    await t.put(path, first);
    const file = await t.fs.open(path, { write: true });
    await file.writeAll(text("tail"));
    await file.close();
    sameBytes(t.expect, await t.get(path), concat(first, text("tail")));
  });

  test("after close, a new reader sees the whole content", async (t) => {
    const path = t.at("visible.bin");
    const writer = await t.fs.open(path, { create: true, truncate: true });
    await writer.writeAll(text("abc"));
    await writer.writeAll(text("def"));
    await writer.close();
    sameBytes(t.expect, await t.get(path), text("abcdef"));
  });

  test("capability visibleBeforeClose: another handle sees written bytes before close, or the flag is off", async (t) => {
    const path = t.at("early.bin");
    await t.put(path, text("base"));
    const writer = await t.fs.open(path, { write: true });
    await writer.writeAll(text("+more"));
    await writer.flush();
    if (t.fs.capabilities.visibleBeforeClose) {
      sameBytes(t.expect, await t.get(path), text("base+more"));
    }
    await writer.close();
    sameBytes(t.expect, await t.get(path), text("base+more"));
  });

  test("flush never loses data", async (t) => {
    const path = t.at("flush.bin");
    const file = await t.fs.open(path, { create: true, truncate: true });
    await file.writeAll(text("a"));
    await file.flush();
    await file.flush();
    await file.writeAll(text("b"));
    await file.flush();
    await file.writeAll(text("c"));
    await file.close();
    sameBytes(t.expect, await t.get(path), text("abc"));
  });

  test("changing the caller's buffer after writeAll settles does not change the file", async (t) => {
    const path = t.at("owned.bin");
    const data = text("original");
    const file = await t.fs.open(path, { create: true, truncate: true });
    await file.writeAll(data);
    data.fill(0x21);
    await file.close();
    sameBytes(t.expect, await t.get(path), text("original"));
  });

  test("readExactAt reads exact ranges into the caller's buffer and resolves to it", async (t) => {
    const path = t.at("ranges.bin");
    const data = bytes(10_000, 9);
    await t.put(path, data);
    const file = await t.fs.open(path);
    for (const [pos, length] of [
      [0, 1],
      [0, 100],
      [1234, 4096],
      [9_999, 1],
      [5_000, 5_000],
      [0, 10_000],
    ] as const) {
      const buf = new Uint8Array(length);
      t.expect(await file.readExactAt(buf, pos)).toBe(buf);
      sameBytes(t.expect, buf, data.subarray(pos, pos + length));
    }
    // A view into a larger buffer: only the view is written.
    const backing = new Uint8Array(20).fill(7);
    const view = backing.subarray(5, 15);
    await file.readExactAt(view, 100);
    sameBytes(t.expect, view, data.subarray(100, 110));
    t.expect([...backing.subarray(0, 5), ...backing.subarray(15)]).toEqual(new Array(10).fill(7));
    await file.close();
  });

  test("readExactAt past the end rejects UnexpectedEof; zero-length reads need no data", async (t) => {
    const path = t.at("eof.bin");
    await t.put(path, text("0123456789"));
    const file = await t.fs.open(path);
    await t.rejects(
      () => file.readExactAt(new Uint8Array(5), 8),
      "UnexpectedEof",
      "file.readExactAt(new Uint8Array(5), 8)",
    );
    await t.rejects(
      () => file.readExactAt(new Uint8Array(1), 10),
      "UnexpectedEof",
      "file.readExactAt(new Uint8Array(1), 10)",
    );
    await t.rejects(
      () => file.readExactAt(new Uint8Array(11), 0),
      "UnexpectedEof",
      "file.readExactAt(new Uint8Array(11), 0)",
    );
    await t.rejects(
      () => file.readExactAt(new Uint8Array(1), 1000),
      "UnexpectedEof",
      "file.readExactAt(new Uint8Array(1), 1000)",
    );
    const exact = new Uint8Array(3);
    await file.readExactAt(exact, 7);
    sameBytes(t.expect, exact, text("789"));
    for (const pos of [0, 5, 10]) {
      t.expect((await file.readExactAt(new Uint8Array(0), pos)).length).toBe(0);
    }
    await file.close();
  });

  test("readToEndAt at 0, in the middle, at the end (empty) and past it (UnexpectedEof)", async (t) => {
    const path = t.at("to-end.bin");
    await t.put(path, text("0123456789"));
    const file = await t.fs.open(path);
    sameBytes(t.expect, await file.readToEndAt(0), text("0123456789"));
    sameBytes(t.expect, await file.readToEndAt(4), text("456789"));
    t.expect((await file.readToEndAt(10)).length).toBe(0);
    await t.rejects(() => file.readToEndAt(11), "UnexpectedEof", "file.readToEndAt(11)");
    await file.close();
  });

  test("concurrent reads on one handle each get their own range", async (t) => {
    const path = t.at("concurrent.bin");
    const data = bytes(64 * 1024, 13);
    await t.put(path, data);
    const file = await t.fs.open(path);
    const positions = Array.from({ length: 16 }, (_, i) => (i * 3989) % (data.length - 4096));
    const buffers = await Promise.all(positions.map((pos) => file.readExactAt(new Uint8Array(4096), pos)));
    buffers.forEach((buf, i) => {
      const pos = positions[i] as number;
      sameBytes(t.expect, buf, data.subarray(pos, pos + 4096));
    });
    await file.close();
  });

  test("size follows writes and survives reopening", async (t) => {
    const path = t.at("size.bin");
    const file = await t.fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(300));
    await file.writeAll(bytes(200));
    await file.close();
    const reader = await t.fs.open(path);
    t.expect(await reader.size()).toBe(500);
    await reader.close();
  });

  test("close is idempotent and every operation after it rejects Closed", async (t) => {
    const path = t.at("closed.bin");
    await t.put(path, text("data"));
    const file = await t.fs.open(path, { write: true });
    await file.close();
    await file.close();
    await t.rejects(() => file.readExactAt(new Uint8Array(1), 0), "Closed", "file.readExactAt(new Uint8Array(1), 0)");
    await t.rejects(() => file.readToEndAt(0), "Closed", "file.readToEndAt(0)");
    await t.rejects(() => file.size(), "Closed", "file.size()");
    await t.rejects(() => file.writeAll(text("x")), "Closed", `file.writeAll(text("x"))`);
    await t.rejects(() => file.flush(), "Closed", "file.flush()");
    await t.rejects(() => file.sync(), "Closed", "file.sync()");
    sameBytes(t.expect, await t.get(path), text("data"));
  });

  test("close with an aborted signal discards: rejects Aborted, closes, publishes nothing new", async (t) => {
    const signal = AbortSignal.abort();
    const fresh = t.at("discarded.bin");
    const file = await t.fs.open(fresh, { create: true, truncate: true });
    await file.writeAll(bytes(1000));
    await t.rejects(() => file.close({ signal }), "Aborted", "file.close({ signal })");
    await t.rejects(() => file.writeAll(text("x")), "Closed", `file.writeAll(text("x"))`);
    await file.close();
    if (!t.fs.capabilities.visibleBeforeClose) await t.rejects(() => t.fs.stat(fresh), "NotFound", "stat(fresh)");

    const existing = t.at("kept.bin");
    await t.put(existing, text("base"));
    const append = await t.fs.open(existing, { write: true });
    await append.writeAll(text("+more"));
    await t.rejects(() => append.close({ signal }), "Aborted", "append.close({ signal })");
    const expected = t.fs.capabilities.visibleBeforeClose ? "base+more" : "base";
    sameBytes(t.expect, await t.get(existing), text(expected));
  });

  test("Symbol.asyncDispose closes the file", async (t) => {
    const path = t.at("dispose.bin");
    const file = await t.fs.open(path, { create: true });
    await file.writeAll(text("disposed"));
    await file[Symbol.asyncDispose]();
    await t.rejects(() => file.writeAll(text("x")), "Closed", `file.writeAll(text("x"))`);
    sameBytes(t.expect, await t.get(path), text("disposed"));
  });
}
