// Child of peak-memory.ts: node --import tsx peak-memory-child.ts <module> <export> <json args>.
// Prints one JSON line: { peakRss (bytes), seconds }.
import { pathToFileURL } from "node:url";

const [modulePath, exportName, json] = process.argv.slice(2);
const loaded = (await import(pathToFileURL(modulePath as string).href)) as Record<
  string,
  (args: unknown) => Promise<unknown>
>;
const run = loaded[exportName as string];
if (typeof run !== "function") throw new Error(`${modulePath} exports no function ${exportName}`);
const start = performance.now();
await run(JSON.parse(json ?? "null"));
const seconds = (performance.now() - start) / 1000;
// maxRSS is in KiB on Linux.
console.log(JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024, seconds }));
