// Child of peak-memory.ts: node --expose-gc --import tsx peak-memory-child.ts <module> <export> <json args>.
// Prints one JSON line: { peakRss, baselineRss (bytes), seconds }. The baseline is the RSS after
// the module (and the libraries it imports) loaded and a full GC, just before the operation.
import { pathToFileURL } from "node:url";

const [modulePath, exportName, json] = process.argv.slice(2);
const loaded = (await import(pathToFileURL(modulePath as string).href)) as Record<
  string,
  (args: unknown) => Promise<unknown>
>;
const run = loaded[exportName as string];
if (typeof run !== "function") throw new Error(`${modulePath} exports no function ${exportName}`);
(globalThis as { gc?: () => void }).gc?.();
// maxRSS is the process's high-water mark in KiB (Linux). If the operation never rises above
// what loading reached, the high-water mark says nothing about it: sample RSS meanwhile too.
const maxRss = () => process.resourceUsage().maxRSS * 1024;
const highWaterBefore = maxRss();
const baselineRss = process.memoryUsage.rss();
let sampled = baselineRss;
const sampler = setInterval(() => {
  sampled = Math.max(sampled, process.memoryUsage.rss());
}, 10);
const start = performance.now();
await run(JSON.parse(json ?? "null"));
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
const highWater = maxRss();
const peakRss = highWater > highWaterBefore ? highWater : Math.max(sampled, process.memoryUsage.rss());
console.log(JSON.stringify({ peakRss, baselineRss, seconds }));
