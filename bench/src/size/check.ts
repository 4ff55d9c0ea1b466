// `pnpm check` step: fails when a fusio size job is over its ceiling, less than 14 times smaller
// than the official SDK's job on node, or when a browser/Workers bundle of a portable package
// pulls in Node built-ins or undici. Offline and fast (esbuild only).
import { checkSizes } from "./budgets.ts";

const findings = await checkSizes();
for (const finding of findings)
  console.log(`${finding.checked ? (finding.ok ? "ok  " : "FAIL") : "--  "} ${finding.message}`);
const failed = findings.filter((finding) => !finding.ok).length;
const checked = findings.filter((finding) => finding.checked).length;
const pending = findings.length - checked;
console.log(`size check: ${failed ? `${failed} failed` : "ok"} (${checked} checked, ${pending} pending)`);
process.exit(failed ? 1 : 0);
