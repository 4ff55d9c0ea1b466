// The README's catalog example, run on MemoryFs and local disk.
import { FusioError } from "@fusio/core";
import { Manifest } from "@fusio/manifest";
import { describe, expect, it } from "vitest";
import { type Backend, backends } from "./helpers.ts";

interface Table {
  schema: string[];
  files: string[];
}

describe.each(backends)("README example on $name", (backend: Backend) => {
  it("a catalog of tables and their files, with racing appends", async () => {
    const { fs, cleanup } = backend.create();
    try {
      const catalog = new Manifest<Table>(fs, { prefix: "catalog" });
      const tx = await catalog.writeSession();
      tx.put("tables/users", { schema: ["id", "name"], files: [] });
      tx.put("tables/orders", { schema: ["id", "user_id", "total"], files: [] });
      await tx.commit();

      async function addFile(table: string, file: string): Promise<void> {
        for (;;) {
          const session = await catalog.writeSession();
          const current = await session.get(`tables/${table}`);
          if (current === undefined) {
            await session.abort();
            throw new Error(`no table ${table}`);
          }
          session.put(`tables/${table}`, { ...current, files: [...current.files, file] });
          try {
            await session.commit();
            return;
          } catch (error) {
            if (!FusioError.is(error, "PreconditionFailed")) throw error;
          }
        }
      }
      await Promise.all([addFile("users", "users-0001.parquet"), addFile("users", "users-0002.parquet")]);

      {
        await using reader = await catalog.readSession();
        const tables = await reader.scan({ start: "tables/", end: "tables0" });
        expect(tables.map(([name, table]) => `${name}: ${table.files.length} files`)).toEqual([
          "tables/orders: 0 files",
          "tables/users: 2 files",
        ]);
      }
      await catalog.compactor().runOnce();
      expect((await catalog.get("tables/users"))?.files.sort()).toEqual(["users-0001.parquet", "users-0002.parquet"]);
    } finally {
      cleanup();
    }
  });
});
