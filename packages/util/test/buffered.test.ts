import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { BufferedReader, BufferedWriter, readFile, writeFile } from "@fusio/util";
import { describe, expect, it } from "vitest";

const text = (value: string) => new TextEncoder().encode(value);
const decode = (value: Uint8Array) => new TextDecoder().decode(value);

describe("BufferedReader", () => {
  it("serves nearby reads from one window and refills on a jump", async () => {
    const fs = new MemoryFs();
    const data = bytes(16);
    await writeFile(fs, "f", data);
    const reader = new BufferedReader(await fs.open("f"), { capacity: 8 });
    const buf = new Uint8Array(2);
    await reader.readExactAt(buf, 0);
    await reader.readExactAt(buf, 2);
    await reader.readExactAt(buf, 6);
    expect(reader.fills).toBe(1);
    expect([...buf]).toEqual([...data.subarray(6, 8)]);
    await reader.readExactAt(buf, 10);
    expect(reader.fills).toBe(2);
    const large = await reader.readExactAt(new Uint8Array(12), 1);
    expect(large).toEqual(data.subarray(1, 13));
    expect(await reader.readToEndAt(1)).toEqual(data.subarray(1));
    expect((await reader.readToEndAt(16)).length).toBe(0);
  });

  it("rejects reads past the end with UnexpectedEof", async () => {
    const fs = new MemoryFs();
    await writeFile(fs, "f", bytes(3));
    const reader = new BufferedReader(await fs.open("f"), { capacity: 8 });
    await expect(reader.readExactAt(new Uint8Array(4), 0)).rejects.toSatisfy((e) => FusioError.is(e, "UnexpectedEof"));
    await expect(reader.readExactAt(new Uint8Array(1), 3)).rejects.toSatisfy((e) => FusioError.is(e, "UnexpectedEof"));
    expect(await reader.readExactAt(new Uint8Array(3), 0)).toEqual(bytes(3));
    await expect(reader.readToEndAt(4)).rejects.toSatisfy((e) => FusioError.is(e, "UnexpectedEof"));
  });

  it("rejects a bad capacity and bad positions", async () => {
    const file = await new MemoryFs().open("f", { create: true });
    expect(() => new BufferedReader(file, { capacity: 0 })).toThrow(FusioError);
    const reader = new BufferedReader(file);
    await expect(reader.readExactAt(new Uint8Array(1), -1)).rejects.toSatisfy((e) =>
      FusioError.is(e, "InvalidArgument"),
    );
  });
});

describe("BufferedWriter", () => {
  it("buffers small writes, passes large ones through, in order", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("f", { create: true });
    const writer = new BufferedWriter(file, { capacity: 4 });
    await writer.writeAll(text("Hello"));
    expect(writer.writes).toBe(1);
    await writer.writeAll(text(" "));
    expect(decode(await readFile(fs, "f"))).toBe("Hello");
    await writer.writeAll(text("fusio"));
    expect(decode(await readFile(fs, "f"))).toBe("Hello fusio");
    await writer.writeAll(text("!"));
    await writer.flush();
    expect(decode(await readFile(fs, "f"))).toBe("Hello fusio!");
    await writer.close();
  });

  it("turns many tiny writes issued at once into few underlying writes, in order", async () => {
    const fs = new MemoryFs();
    const writer = new BufferedWriter(await fs.open("f", { create: true }), { capacity: 1024 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => writer.writeAll(text(`${i % 10}`))));
    await writer.close();
    expect(writer.writes).toBe(1);
    expect(decode(await readFile(fs, "f"))).toBe(Array.from({ length: 1000 }, (_, i) => `${i % 10}`).join(""));
  });

  it("an aborted close drops the buffer", async () => {
    const fs = new MemoryFs();
    const writer = new BufferedWriter(await fs.open("f", { create: true }), { capacity: 16 });
    await writer.writeAll(text("lost"));
    await expect(writer.close({ signal: AbortSignal.abort() })).rejects.toSatisfy((e) => FusioError.is(e, "Aborted"));
    expect((await readFile(fs, "f")).length).toBe(0);
  });

  it("sync flushes, then reports what the file can do", async () => {
    const fs = new MemoryFs();
    const writer = new BufferedWriter(await fs.open("f", { create: true }), { capacity: 16 });
    await writer.writeAll(text("abc"));
    await expect(writer.sync()).rejects.toSatisfy((e) => FusioError.is(e, "Unsupported"));
    expect(decode(await readFile(fs, "f"))).toBe("abc");
  });
});
