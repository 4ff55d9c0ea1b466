// A child process for the multi-process tests (run with tsx). Modes:
//   counter ROOT KEY N    wait for "go", then make N tag-guarded increments of a JSON counter
//   create ROOT KEY ID    wait for "go", then try one ifNotExists create
//   churn ROOT KEY SIZE   CAS-replace KEY with SIZE-byte self-checking versions forever
//   hold ROOT KEY         leave a temp file, take KEY's CAS lock and wait to be killed
//   append ROOT KEY       append numbered records to KEY forever
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { FusioError } from "@fusio/core";
import { acquireLock, reservedName } from "../../src/internal/lock.ts";
import { NodeFs } from "../node-fs.ts";

const [mode, root, key, arg] = process.argv.slice(2) as [string, string, string, string];
const fs = new NodeFs({ root });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function say(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function go(): Promise<void> {
  say("ready");
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === "go") break;
  }
  // An open stdin would keep this process alive after its work.
  process.stdin.destroy();
}

/** A version whose first line holds its number and the sha256 of the rest. */
function version(n: number, size: number): Uint8Array {
  const body = new Uint8Array(size).map((_, i) => (i * 31 + n) & 0xff);
  const header = encoder.encode(`${JSON.stringify({ n, sha: createHash("sha256").update(body).digest("hex") })}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

switch (mode) {
  case "counter": {
    await go();
    const wins: Array<{ from: string; to: string; n: number }> = [];
    let conflicts = 0;
    while (wins.length < Number(arg)) {
      const current = await fs.loadWithTag(key);
      if (current === undefined) throw new Error("counter missing");
      const n = (JSON.parse(decoder.decode(current.data)) as { n: number }).n + 1;
      try {
        const to = await fs.putConditional(key, encoder.encode(JSON.stringify({ n, pid: process.pid })), {
          ifMatch: current.tag,
        });
        wins.push({ from: current.tag, to, n });
      } catch (error) {
        if (!FusioError.is(error, "PreconditionFailed")) throw error;
        conflicts++;
      }
    }
    say({ wins, conflicts });
    break;
  }
  case "create": {
    await go();
    try {
      await fs.putConditional(key, encoder.encode(arg), { ifNotExists: true });
      say("won");
    } catch (error) {
      if (!FusioError.is(error, "PreconditionFailed")) throw error;
      say("lost");
    }
    break;
  }
  case "churn": {
    const size = Number(arg);
    for (;;) {
      const current = await fs.loadWithTag(key);
      const n = current
        ? (JSON.parse(decoder.decode(current.data.subarray(0, current.data.indexOf(10)))) as { n: number }).n
        : 0;
      if (current) await fs.putConditional(key, version(n + 1, size), { ifMatch: current.tag });
      else await fs.putConditional(key, version(1, size), { ifNotExists: true });
      say(n + 1);
    }
  }
  case "hold": {
    // As a writer killed mid-CAS: its temp file written, the lock held.
    writeFileSync(join(fs.root, reservedName("tmp")), "new content, never published");
    await acquireLock(join(fs.root, key), undefined, { op: "test" });
    say("locked");
    setInterval(() => undefined, 60_000);
    break;
  }
  case "append": {
    const file = await fs.open(key, { create: true });
    for (let i = 0; ; i++) {
      await file.writeAll(encoder.encode(`record ${String(i).padStart(8, "0")} ${"x".repeat(4000)}\n`));
      if (i % 50 === 0) say(i);
    }
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
