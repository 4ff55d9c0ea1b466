// Under Bun the default HttpClient of @fusio/http is fetch, never undici: as vitest resolves the
// sources (this file's import) and as Bun itself resolves `#default-client` (a child bun, with
// and without the `source` condition). Bun also matches the `node` condition; `bun` comes first.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { execPath } from "node:process";
import { fileURLToPath } from "node:url";
import { defaultHttpClient, FetchHttpClient } from "@fusio/http";
import { describe, expect, it } from "vitest";

const http = resolve(dirname(fileURLToPath(import.meta.url)), "../../http");

/** What `#default-client` resolves to in a Bun started in packages/http, as a path inside it. */
function resolvedByBun(withSource: boolean): string {
  const script = "console.log(import.meta.resolve('#default-client'))";
  const child = spawnSync(execPath, withSource ? ["--conditions=source", "-e", script] : ["-e", script], {
    cwd: http,
    encoding: "utf8",
  });
  expect(child.status).toBe(0);
  return fileURLToPath(child.stdout.trim()).slice(http.length + 1);
}

describe("defaultHttpClient under Bun", () => {
  it("is a FetchHttpClient", () => {
    const client = defaultHttpClient();
    expect(client).toBeInstanceOf(FetchHttpClient);
    expect(client.constructor.name).toBe("FetchHttpClient");
  });

  // Two Bun processes: slow on a busy machine.
  it("Bun's own resolver picks the fetch default, from the sources and from dist", { timeout: 30_000 }, () => {
    expect(resolvedByBun(true)).toBe("src/default-client-bun.ts");
    expect(resolvedByBun(false)).toBe("dist/default-client-bun.js");
  });
});
