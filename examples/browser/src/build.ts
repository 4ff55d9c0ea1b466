// pnpm --filter @fusio-examples/browser build: writes dist/page.js, which index.html loads.
import { mkdir, writeFile } from "node:fs/promises";
import { bundlePage } from "./bundle.ts";

const { code } = await bundlePage();
const dist = new URL("../dist/", import.meta.url);
await mkdir(dist, { recursive: true });
await writeFile(new URL("page.js", dist), code);
console.log(`dist/page.js: ${code.length} bytes`);
