// A separate OS process for the S3 crash test: runs transfers, compaction passes or shared-plan
// GC passes against a manifest on S3, logging each intent before it commits and the outcome
// after, synchronously, so the log survives SIGKILL. With `kill`, it SIGKILLs itself at that
// point: before or after the nth conditional write (or delete) of a matching key, so a crash
// lands exactly after the segment is written, before HEAD moves, mid-compaction or mid-GC.
// Runs the built packages (dist).
import { appendFileSync } from "node:fs";
import { FusioError } from "@fusio/core";
import { Manifest } from "@fusio/manifest";
import { S3Fs } from "@fusio/s3";

const job = JSON.parse(process.argv[2]);
const log = (entry) => appendFileSync(job.log, `${JSON.stringify(entry)}\n`);
const fs = killing(new S3Fs(job.s3), job.kill);
const manifest = new Manifest(fs, {
  prefix: job.prefix,
  retention: { leaseTtlMs: job.leaseTtlMs, segmentsMinTtlMs: 0 },
});
const accounts = ["acct-0", "acct-1", "acct-2", "acct-3", "acct-4"];
let seed = job.seed;
const random = (n) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const tolerate = (error) => {
  if (!FusioError.is(error, "PreconditionFailed")) throw error;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `fs` that SIGKILLs this process at `kill` (`{ op: "put" | "remove", match, when, nth }`). */
function killing(target, kill) {
  if (kill === undefined) return target;
  let seen = 0;
  const die = (path) => {
    log({ type: "killed", at: `${kill.when} ${kill.op} ${path}` });
    process.kill(process.pid, "SIGKILL");
    return new Promise(() => {});
  };
  // "after" counts only writes that succeeded: a lost race wrote nothing.
  const at = async (op, path, run) => {
    if (op !== kill.op || !String(path).includes(kill.match)) return run();
    if (kill.when === "before") return ++seen === kill.nth ? die(path) : run();
    const result = await run();
    return ++seen === kill.nth ? die(path) : result;
  };
  return new Proxy(target, {
    get(object, property) {
      if (property === "putConditional") {
        return (path, ...rest) => at("put", path, () => object.putConditional(path, ...rest));
      }
      if (property === "remove") return (path, ...rest) => at("remove", path, () => object.remove(path, ...rest));
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

if (job.role === "compactor") {
  for (;;) {
    await manifest.compactor().runOnce().catch(tolerate);
    await pause(20);
  }
} else if (job.role === "gc") {
  // The shared-plan protocol (gc/GARBAGE), after a checkpoint to collect up to.
  const compactor = manifest.compactor();
  for (;;) {
    await compactor.compactOnce().catch(tolerate);
    await compactor.gcCompute().catch(tolerate);
    await compactor.gcApply().catch(tolerate);
    await compactor.gcDeleteAndReset().catch(tolerate);
    await pause(20);
  }
} else {
  for (let t = 0; t < job.count; t++) {
    for (let attempt = 0; ; attempt++) {
      const id = `${job.name}-t${t}-a${attempt}`;
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
        tolerate(error);
        log({ type: "aborted", id });
      }
    }
  }
}
