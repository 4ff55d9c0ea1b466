import { FusioError, Path } from "@fusio/core";
import { MemoryFs } from "@fusio/memory";
import { fusioDriver, unstorageFs } from "@fusio/unstorage";
import { createStorage, type Driver } from "unstorage";
import memoryDriver from "unstorage/drivers/memory";
import { describe, expect, it } from "vitest";

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const decode = (value: Uint8Array): string => new TextDecoder().decode(value);

async function put(fs: ReturnType<typeof unstorageFs>, path: Path | string, data: Uint8Array): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: true });
  await file.writeAll(data);
  await file.close();
}

async function get(fs: ReturnType<typeof unstorageFs>, path: Path | string): Promise<Uint8Array> {
  const file = await fs.open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

describe("unstorageFs", () => {
  it("stores a path under the ':'-joined key, escaping '%', ':' and '\\' inside a segment", async () => {
    const driver = memoryDriver();
    const fs = unstorageFs(driver);
    await put(fs, "dir/file.txt", text("plain"));
    await put(fs, Path.parse("dir/a:b%c\\d"), text("awkward"));
    expect((await driver.getKeys("", {})).sort()).toEqual(["dir:a%3Ab%25c%5Cd", "dir:file.txt"]);
    const listed = [];
    for await (const entry of fs.list("dir")) listed.push(entry.path.raw);
    expect(listed).toEqual(["dir/a:b%c\\d", "dir/file.txt"]);
    expect(decode(await get(fs, "dir/a:b%c\\d"))).toBe("awkward");
  });

  it("reads what unstorage users stored: strings, JSON and raw bytes", async () => {
    const driver = memoryDriver();
    const storage = createStorage({ driver });
    await storage.setItem("docs:readme", "hello");
    await storage.setItem("docs:config", { a: 1 });
    await storage.setItemRaw("docs:blob", Uint8Array.of(0, 1, 255));
    const fs = unstorageFs(driver);
    expect(decode(await get(fs, "docs/readme"))).toBe("hello");
    expect(JSON.parse(decode(await get(fs, "docs/config")))).toEqual({ a: 1 });
    expect([...(await get(fs, "docs/blob"))]).toEqual([0, 1, 255]);
    expect((await fs.stat("docs/blob")).size).toBe(3);
  });

  it("on a driver without raw support, stores bytes the way unstorage does (base64:) and reads them back", async () => {
    const inner = memoryDriver();
    const { getItemRaw: _get, setItemRaw: _set, ...rest } = inner;
    const driver: Driver = rest;
    const fs = unstorageFs(driver);
    const data = Uint8Array.from({ length: 256 }, (_, i) => i);
    await put(fs, "bin/all", data);
    expect(String(await driver.getItem("bin:all", {})).startsWith("base64:")).toBe(true);
    expect([...(await get(fs, "bin/all"))]).toEqual([...data]);
    expect([...((await createStorage({ driver }).getItemRaw("bin:all")) as Uint8Array)]).toEqual([...data]);
  });

  it("a read-only driver rejects writes with PermissionDenied and reports copy off", async () => {
    const inner = memoryDriver();
    inner.setItem("k", "v", {});
    const driver: Driver = { name: "ro", hasItem: inner.hasItem, getItem: inner.getItem, getKeys: inner.getKeys };
    const fs = unstorageFs(driver);
    expect(fs.capabilities.copy).toBe(false);
    expect(decode(await get(fs, "k"))).toBe("v");
    await expect(fs.open("k", { write: true })).rejects.toSatisfy((error) => FusioError.is(error, "PermissionDenied"));
    await expect(fs.copy("k", "k2")).rejects.toSatisfy((error) => FusioError.is(error, "Unsupported"));
    await expect(fs.remove("k")).rejects.toSatisfy((error) => FusioError.is(error, "PermissionDenied"));
  });

  it("readToEndAt returns a copy even when the driver hands out Node Buffers", async () => {
    const driver = memoryDriver();
    driver.setItemRaw?.("b", Buffer.from([1, 2, 3]), {});
    const fs = unstorageFs(driver);
    const first = await get(fs, "b");
    first.fill(9);
    expect([...(await get(fs, "b"))]).toEqual([1, 2, 3]);
  });

  it("list fetches sizes a few entries ahead, concurrently, and stops soon after the consumer does", async () => {
    const inner = memoryDriver();
    for (let i = 0; i < 40; i++) inner.setItemRaw?.(`many:k${String(i).padStart(2, "0")}`, new Uint8Array(i), {});
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const driver: Driver = {
      ...inner,
      async getMeta(key) {
        calls++;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return { size: (inner.getItem(key, {}) as Uint8Array).length };
      },
    };
    const fs = unstorageFs(driver);
    const sizes = [];
    for await (const entry of fs.list("many")) sizes.push(entry.size);
    expect(sizes).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    calls = 0;
    for await (const _ of fs.list("many")) break;
    expect(calls).toBeLessThanOrEqual(8);
  });

  it("writes are invisible until close, and a handle reads its own writes", async () => {
    const fs = unstorageFs(memoryDriver());
    await put(fs, "f", text("base"));
    const writer = await fs.open("f", { write: true });
    await writer.writeAll(text("+more"));
    expect(decode(await writer.readToEndAt(0))).toBe("base+more");
    expect(decode(await get(fs, "f"))).toBe("base");
    await writer.close();
    expect(decode(await get(fs, "f"))).toBe("base+more");
  });

  it("driver failures become FusioErrors with the driver's error as cause", async () => {
    const cause = Object.assign(new Error("denied"), { status: 403 });
    const driver: Driver = {
      name: "failing",
      hasItem: () => true,
      getItem: () => {
        throw cause;
      },
      getKeys: () => Promise.reject(cause),
    };
    const fs = unstorageFs(driver);
    const error = await fs.open("x").catch((e: unknown) => e);
    expect(FusioError.is(error, "PermissionDenied")).toBe(true);
    expect((error as FusioError).cause).toBe(cause);
    const listing = await (async () => {
      for await (const _ of fs.list("")) return "yielded";
    })().catch((e: unknown) => e);
    expect(FusioError.is(listing, "PermissionDenied")).toBe(true);
  });

  it("round-trips through fusioDriver: fusio -> unstorage -> fusio keeps paths and bytes", async () => {
    const memory = new MemoryFs();
    const fs = unstorageFs(fusioDriver(memory));
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    await put(fs, "a/b/c.bin", data);
    expect([...(await get(fs, "a/b/c.bin"))]).toEqual([...data]);
    expect((await memory.stat("a/b/c.bin")).size).toBe(1000);
    const entries = [];
    for await (const entry of fs.list("a", { recursive: true })) entries.push([entry.path.raw, entry.size]);
    expect(entries).toEqual([["a/b/c.bin", 1000]]);
  });
});
