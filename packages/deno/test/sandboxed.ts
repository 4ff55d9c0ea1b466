// Run by permissions.test.ts as a Deno process with restricted permissions:
// `deno run [--allow-...] --conditions source sandboxed.ts <root> <url>`. Tries each operation on a
// DenoFs rooted at <root> (which holds "existing.txt") and on a DenoHttpClient, and prints
// `{ op: "ok" | kind }` as one JSON line.
import { FusioError } from "@fusio/core";
import { DenoFs, DenoHttpClient } from "../src/index.ts";

const [root, url] = process.argv.slice(2) as [string, string];
const fs = new DenoFs({ root });
const encode = (text: string) => new TextEncoder().encode(text);

const attempts: Record<string, () => Promise<unknown>> = {
  readExisting: async () => {
    const file = await fs.open("existing.txt");
    await file.readToEndAt(0);
    await file.close();
  },
  readFile: () => fs.readFile("existing.txt"),
  stat: () => fs.stat("existing.txt"),
  list: async () => {
    for await (const _entry of fs.list("")) {
    }
  },
  createFile: async () => {
    const file = await fs.open("new/created.txt", { create: true });
    await file.close();
  },
  appendExisting: () => fs.open("existing.txt", { write: true }),
  createDirAll: () => fs.createDirAll("dir/sub"),
  copy: () => fs.copy("existing.txt", "copy.txt"),
  putConditional: () => fs.putConditional("cas.txt", encode("x"), { ifNotExists: true }),
  loadWithTag: () => fs.loadWithTag("existing.txt"),
  remove: () => fs.remove("existing.txt"),
  fetch: async () => {
    const response = await new DenoHttpClient().send({ method: "GET", url, headers: {} });
    for await (const _chunk of response.body) {
    }
  },
};

const results: Record<string, string> = {};
for (const [op, attempt] of Object.entries(attempts)) {
  try {
    await attempt();
    results[op] = "ok";
  } catch (error) {
    results[op] = FusioError.is(error) ? error.kind : `not a FusioError: ${String(error)}`;
  }
}
console.log(JSON.stringify(results));
