// Under Deno the default HttpClient of @fusio/http is fetch, never undici: as vitest resolves the
// sources (this file's import) and as Deno itself resolves `#default-client` (a child deno, with
// and without the `source` condition). Deno also matches the `node` condition; `deno` comes first.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { execPath } from "node:process";
import { fileURLToPath } from "node:url";
import { defaultHttpClient, FetchHttpClient } from "@fusio/http";
import { describe, expect, it } from "vitest";

const http = resolve(dirname(fileURLToPath(import.meta.url)), "../../http");

/** What `#default-client` resolves to in a Deno started in packages/http, as a path inside it. */
function resolvedByDeno(withSource: boolean): string {
  const script = "console.log(import.meta.resolve('#default-client'))";
  const child = spawnSync(execPath, withSource ? ["eval", "--conditions", "source", script] : ["eval", script], {
    cwd: http,
    encoding: "utf8",
  });
  expect(child.status).toBe(0);
  return fileURLToPath(child.stdout.trim()).slice(http.length + 1);
}

describe("defaultHttpClient under Deno", () => {
  it("is a FetchHttpClient", () => {
    const client = defaultHttpClient();
    expect(client).toBeInstanceOf(FetchHttpClient);
    expect(client.constructor.name).toBe("FetchHttpClient");
  });

  // Two Deno processes: slow on a busy machine.
  it("Deno's own resolver picks the fetch default, from the sources and from dist", { timeout: 30_000 }, () => {
    expect(resolvedByDeno(true)).toBe("src/default-client-deno.ts");
    expect(resolvedByDeno(false)).toBe("dist/default-client-deno.js");
  });
});
