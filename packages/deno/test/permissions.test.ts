import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer } from "@fusio-internal/test-support/http-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDeno } from "./deno-api.ts";

// Each case runs test/sandboxed.ts in a Deno process with the given permission flags and
// checks the kind every operation ended with.
const base = mkdtempSync(join(tmpdir(), "fusio-deno-permissions-"));
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route("/ok", (_request, response) => response.end("ok"));
});
afterAll(async () => {
  await server.close();
  rmSync(base, { recursive: true, force: true });
});

async function sandboxed(
  name: string,
  flags: (root: string, host: string) => string[],
): Promise<Record<string, string>> {
  const root = join(base, name);
  mkdirSync(root);
  writeFileSync(join(root, "existing.txt"), "hello");
  const url = `${server.url}/ok`;
  const args = ["run", ...flags(root, new URL(url).host), "--conditions", "source"];
  args.push(join(import.meta.dirname, "sandboxed.ts"), root, url);
  const { code, stdout, stderr } = await runDeno(args);
  if (code !== 0) throw new Error(`sandboxed.ts exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as Record<string, string>;
}

const FS_OPS = [
  "readExisting",
  "readFile",
  "stat",
  "list",
  "createFile",
  "appendExisting",
  "createDirAll",
  "copy",
  "loadWithTag",
  "remove",
];

describe("Deno permissions", () => {
  it("with no permissions, every file operation and fetch rejects PermissionDenied", async () => {
    const results = await sandboxed("none", () => []);
    expect(results).toEqual(
      Object.fromEntries([...FS_OPS, "putConditional", "fetch"].map((op) => [op, "PermissionDenied"])),
    );
  });

  it("with read on the root only: reads work (the existing root is not created again); writes reject PermissionDenied", async () => {
    const results = await sandboxed("read-only", (root) => [`--allow-read=${root}`]);
    const reads = ["readExisting", "readFile", "stat", "list", "loadWithTag"];
    expect(results).toEqual({
      ...Object.fromEntries([...FS_OPS, "putConditional", "fetch"].map((op) => [op, "PermissionDenied"])),
      ...Object.fromEntries(reads.map((op) => [op, "ok"])),
    });
  });

  it("with read and write on the root only: files work; CAS (needs --allow-run) and fetch reject PermissionDenied", async () => {
    const results = await sandboxed("root-only", (root) => [`--allow-read=${root}`, `--allow-write=${root}`]);
    expect(results).toEqual({
      ...Object.fromEntries(FS_OPS.map((op) => [op, "ok"])),
      putConditional: "PermissionDenied",
      fetch: "PermissionDenied",
    });
  });

  it("with the documented flags, everything works", async () => {
    const results = await sandboxed("granted", (root, host) => [
      `--allow-read=${root},/proc`,
      `--allow-write=${root}`,
      "--allow-run",
      "--allow-sys=hostname,osUptime",
      `--allow-net=${host}`,
    ]);
    expect(results).toEqual(Object.fromEntries([...FS_OPS, "putConditional", "fetch"].map((op) => [op, "ok"])));
  });
});
