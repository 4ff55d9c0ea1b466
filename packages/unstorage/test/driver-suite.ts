// Behaviours unstorage documents for a storage and its driver (unstorage.unjs.io/guide, "Usage",
// "Custom driver"), as one suite. It runs on fusioDriver over each fusio backend, and on
// unstorage's own memory and fs drivers, which keeps the suite honest about what unstorage does.
import {
  createStorage,
  type Driver,
  prefixStorage,
  restoreSnapshot,
  type Storage,
  type StorageValue,
  snapshot,
} from "unstorage";
import { describe, expect, it } from "vitest";

export interface DriverCase {
  /** A fresh, empty driver for one test. */
  create(): Driver | Promise<Driver>;
  destroy?(driver: Driver): void | Promise<void>;
  /** The driver has native meta (`getMeta` with `size` and `mtime`), like unstorage's fs driver. */
  nativeMeta: boolean;
}

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function toArray(value: unknown): number[] {
  if (value instanceof Uint8Array) return [...value];
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  throw new Error(`not binary: ${typeof value}`);
}

export function describeDriver(name: string, options: DriverCase): void {
  const test = (title: string, body: (storage: Storage, driver: Driver) => Promise<void>): void => {
    it(title, async () => {
      const driver = await options.create();
      const storage = createStorage({ driver });
      try {
        await body(storage, driver);
      } finally {
        await storage.clear();
        await options.destroy?.(driver);
      }
    });
  };

  describe(name, () => {
    test("an empty storage has no keys and reads missing items as null", async (storage) => {
      expect(await storage.hasItem("s1:a")).toBe(false);
      expect(await storage.getItem("s1:a")).toBe(null);
      expect(await storage.getItemRaw("s1:a")).toBe(null);
      expect(await storage.getKeys()).toEqual([]);
    });

    test("setItem then getItem and hasItem; ':' and '/' name the same key", async (storage) => {
      await storage.setItem("s1:a", "test_data");
      await storage.setItem("s2/b", "second");
      expect(await storage.hasItem("s1:a")).toBe(true);
      expect(await storage.hasItem("/s1/a")).toBe(true);
      expect(await storage.getItem("s1/a")).toBe("test_data");
      expect(await storage.getItem("s2:b")).toBe("second");
      expect((await storage.getKeys()).sort()).toEqual(["s1:a", "s2:b"]);
    });

    test("setItem replaces the value", async (storage) => {
      await storage.setItem("k", "a much longer first value");
      await storage.setItem("k", "short");
      expect(await storage.getItem("k")).toBe("short");
    });

    test("values that are not strings are stringified and parsed back", async (storage) => {
      await storage.setItem("json:object", { a: 1, nested: { b: [1, 2, "x"] } });
      await storage.setItem("json:array", [1, "two", null]);
      await storage.setItem("json:number", 42);
      await storage.setItem("json:boolean", true);
      await storage.setItem("json:text", "plain text");
      expect(await storage.getItem("json:object")).toEqual({ a: 1, nested: { b: [1, 2, "x"] } });
      expect(await storage.getItem("json:array")).toEqual([1, "two", null]);
      expect(await storage.getItem("json:number")).toBe(42);
      expect(await storage.getItem("json:boolean")).toBe(true);
      expect(await storage.getItem("json:text")).toBe("plain text");
    });

    test("setItem with undefined removes the item", async (storage) => {
      await storage.setItem("gone", "x");
      // Documented: "If the value is undefined, it is same as calling removeItem(key)"; the types forbid it.
      await storage.setItem("gone", undefined as never);
      expect(await storage.hasItem("gone")).toBe(false);
    });

    test("removeItem deletes; removing a missing key resolves", async (storage) => {
      await storage.setItem("r:a", "x");
      await storage.removeItem("r:a");
      expect(await storage.hasItem("r:a")).toBe(false);
      expect(await storage.getItem("r:a")).toBe(null);
      await storage.removeItem("r:a");
      await storage.removeItem("never:existed");
    });

    test("getItemRaw returns what setItemRaw stored, every byte value", async (storage) => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await storage.setItemRaw("raw:all.bin", all);
      expect(toArray(await storage.getItemRaw("raw:all.bin"))).toEqual([...all]);
      const large = bytes(300_000, 7);
      await storage.setItemRaw("raw:large.bin", large);
      expect(toArray(await storage.getItemRaw("raw:large.bin"))).toEqual([...large]);
      await storage.setItemRaw("raw:empty.bin", new Uint8Array(0));
      expect(await storage.hasItem("raw:empty.bin")).toBe(true);
      expect(toArray(await storage.getItemRaw("raw:empty.bin"))).toEqual([]);
      await storage.setItemRaw("raw:all.bin", undefined);
      expect(await storage.hasItem("raw:all.bin")).toBe(false);
    });

    test("getItems and setItems work on many keys at once", async (storage) => {
      await storage.setItems<StorageValue>([
        { key: "batch:a", value: "1" },
        { key: "batch:b", value: { two: 2 } },
      ]);
      const items = await storage.getItems(["batch:a", { key: "batch:b" }, "batch:missing"]);
      expect(items.map(({ key, value }) => [key, value])).toEqual([
        ["batch:a", 1],
        ["batch:b", { two: 2 }],
        ["batch:missing", null],
      ]);
    });

    test("getKeys lists every key; with a base only the keys below it", async (storage) => {
      for (const key of ["a:1", "a:b:2", "a:b:c:3", "ab:4", "z"]) await storage.setItem(key, key);
      expect((await storage.getKeys()).sort()).toEqual(["a:1", "a:b:2", "a:b:c:3", "ab:4", "z"]);
      expect((await storage.getKeys("a")).sort()).toEqual(["a:1", "a:b:2", "a:b:c:3"]);
      expect((await storage.getKeys("a:b:")).sort()).toEqual(["a:b:2", "a:b:c:3"]);
      expect((await storage.getKeys("/a/b")).sort()).toEqual(["a:b:2", "a:b:c:3"]);
      expect(await storage.getKeys("nothing")).toEqual([]);
    });

    test("getKeys with maxDepth stops at that many separators", async (storage) => {
      for (const key of ["top", "one:a", "one:two:b", "one:two:three:c"]) await storage.setItem(key, "x");
      expect((await storage.getKeys("", { maxDepth: 0 })).sort()).toEqual(["top"]);
      expect((await storage.getKeys("", { maxDepth: 1 })).sort()).toEqual(["one:a", "top"]);
      expect((await storage.getKeys("", { maxDepth: 2 })).sort()).toEqual(["one:a", "one:two:b", "top"]);
    });

    test("keys with spaces, dots, dashes and non-ASCII characters round-trip", async (storage) => {
      const keys = ["files:hello world.txt", "files:héllo-wörld.json", "files:emoji-😀", "files:v1.2.3"];
      for (const [i, key] of keys.entries()) await storage.setItem(key, `value ${i}`);
      expect((await storage.getKeys("files")).sort()).toEqual([...keys].sort());
      for (const [i, key] of keys.entries()) expect(await storage.getItem(key)).toBe(`value ${i}`);
    });

    test("getMeta merges native meta with meta set by setMeta; meta keys are not listed", async (storage) => {
      await storage.setItem("m:item", "12345");
      const native = await storage.getMeta("m:item");
      if (options.nativeMeta) {
        expect(native.size).toBe(5);
        expect(native.mtime instanceof Date).toBe(true);
      }
      await storage.setMeta("m:item", { owner: "fusio", mtime: new Date(0) });
      const merged = await storage.getMeta("m:item");
      expect(merged.owner).toBe("fusio");
      expect((merged.mtime as Date).getTime()).toBe(0);
      if (options.nativeMeta) expect(merged.size).toBe(5);
      expect(await storage.getKeys()).toEqual(["m:item"]);
      await storage.removeItem("m:item", { removeMeta: true });
      expect((await storage.getMeta("m:item")).owner).toBe(undefined);
    });

    test("clear removes every item", async (storage) => {
      for (const key of ["c:a", "c:b:c", "d"]) await storage.setItem(key, "x");
      await storage.clear();
      expect(await storage.getKeys()).toEqual([]);
      expect(await storage.hasItem("c:a")).toBe(false);
    });

    test("a driver mounted at a base sees keys relative to it", async (storage, driver) => {
      const outer = createStorage();
      outer.mount("cache", driver);
      await outer.setItem("cache:pages:index", "<html>");
      await outer.setItem("other", "in memory");
      expect(await storage.getItem("pages:index")).toBe("<html>");
      expect(await outer.getKeys("cache")).toEqual(["cache:pages:index"]);
      expect(await storage.getKeys()).toEqual(["pages:index"]);
      await outer.unmount("cache", false);
    });

    test("prefixStorage, snapshot and restoreSnapshot", async (storage) => {
      const users = prefixStorage(storage, "users");
      await users.setItem("ada", { id: 1 });
      await users.setItem("grace", { id: 2 });
      expect((await users.getKeys()).sort()).toEqual(["ada", "grace"]);
      expect(await storage.getItem("users:ada")).toEqual({ id: 1 });
      const saved = await snapshot(storage, "users");
      expect(Object.keys(saved).sort()).toEqual(["ada", "grace"]);
      await storage.clear();
      await restoreSnapshot(storage, saved, "restored");
      expect(await storage.getItem("restored:grace")).toEqual({ id: 2 });
    });

    test("without a native watch, watch reports the storage's own updates and removals", async (storage, driver) => {
      if (driver.watch) {
        // Native watchers (fs: chokidar) report asynchronously; they are unstorage's to test.
        expect(typeof driver.watch).toBe("function");
        return;
      }
      const events: string[] = [];
      const unwatch = await storage.watch((event, key) => {
        events.push(`${event} ${key}`);
      });
      await storage.setItem("w:a", "1");
      await storage.removeItem("w:a");
      await unwatch();
      expect(events).toEqual(["update w:a", "remove w:a"]);
    });
  });
}
