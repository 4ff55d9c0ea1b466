import { bytes } from "@fusio/conformance";
import { FusioError } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { readFile, toReadableStream, toWritableStream, writeFile, writeFromStream } from "@fusio/util";
import { describe, expect, it } from "vitest";

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

describe("WHATWG stream adapters", () => {
  it("toReadableStream yields the range in chunks", async () => {
    const fs = new MemoryFs();
    const data = bytes(10_000);
    await writeFile(fs, "f", data);
    const file = await fs.open("f");
    const chunks = await drain(toReadableStream(file, { chunkSize: 4096 }));
    expect(chunks.map((chunk) => chunk.length)).toEqual([4096, 4096, 1808]);
    expect(Buffer.compare(Buffer.concat(chunks), data)).toBe(0);
    const range = await drain(toReadableStream(file, { start: 100, end: 200, chunkSize: 64 }));
    expect(Buffer.compare(Buffer.concat(range), data.subarray(100, 200))).toBe(0);
    expect(await drain(toReadableStream(file, { start: 10_000 }))).toEqual([]);
  });

  it("piping a stream into toWritableStream writes and closes the file", async () => {
    const fs = new MemoryFs();
    const data = bytes(100_000);
    await writeFile(fs, "src", data);
    const source = await fs.open("src");
    await toReadableStream(source, { chunkSize: 7000 }).pipeTo(
      toWritableStream(await fs.open("dst", { create: true })),
    );
    expect(await readFile(fs, "dst")).toEqual(data);
  });

  it("writeFromStream writes an async iterable, and discards the file when the source fails", async () => {
    const fs = new MemoryFs();
    const file = await fs.open("ok", { create: true });
    await writeFromStream(
      file,
      (async function* () {
        yield new Uint8Array([1, 2]);
        yield new Uint8Array([3]);
      })(),
    );
    expect([...(await readFile(fs, "ok"))]).toEqual([1, 2, 3]);
    await expect(file.writeAll(new Uint8Array(1))).rejects.toSatisfy((e) => FusioError.is(e, "Closed"));

    const failing = await fs.open("bad", { create: true });
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("source broke"));
      },
    });
    await expect(writeFromStream(failing, broken)).rejects.toThrow("source broke");
    await expect(failing.writeAll(new Uint8Array(1))).rejects.toSatisfy((e) => FusioError.is(e, "Closed"));
  });

  it("rejects a bad start or chunk size with InvalidArgument", async () => {
    const file = await new MemoryFs().open("f", { create: true });
    expect(() => toReadableStream(file, { start: -1 })).toThrow(FusioError);
    expect(() => toReadableStream(file, { chunkSize: 0 })).toThrow(FusioError);
  });
});
