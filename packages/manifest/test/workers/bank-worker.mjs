// A separate OS process for the multi-process tests: runs transfers (or compaction passes)
// against a manifest on local disk, logging each intent before it commits and the outcome
// after, synchronously, so the log survives SIGKILL. Runs the built package (dist).
import { appendFileSync } from "node:fs";
import { FusioError } from "@fusio/core";
import { Manifest } from "@fusio/manifest";
import { NodeFs } from "@fusio/node";

const [root, role, name, countText, seedText, logPath] = process.argv.slice(2);
const manifest = new Manifest(new NodeFs({ root }), { prefix: "bank", retention: { leaseTtlMs: 1500 } });
const log = (entry) => appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
const accounts = ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"];
let seed = Number(seedText);
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

if (role === "compactor") {
  for (;;) {
    try {
      await manifest.compactor().runOnce();
    } catch (error) {
      if (!FusioError.is(error, "PreconditionFailed")) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
} else {
  for (let t = 0; t < Number(countText); t++) {
    for (let attempt = 0; ; attempt++) {
      const id = `${name}-t${t}-a${attempt}`;
      const from = accounts[random(accounts.length)];
      const to = accounts[(accounts.indexOf(from) + 1 + random(accounts.length - 1)) % accounts.length];
      const tx = await manifest.writeSession();
      const read = { from: await tx.get(from), to: await tx.get(to) };
      const amount = random(Math.max(1, Math.min(read.from, 30)) + 1);
      tx.put(from, read.from - amount);
      tx.put(to, read.to + amount);
      tx.put("history", [...(await tx.get("history")), id]);
      log({ type: "intent", id, from, to, amount, read });
      try {
        await tx.commit();
        log({ type: "committed", id });
        break;
      } catch (error) {
        if (!FusioError.is(error, "PreconditionFailed")) throw error;
        log({ type: "aborted", id });
      }
    }
  }
}
