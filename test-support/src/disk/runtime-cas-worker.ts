// The multi-process CAS tests' child process for @fusio/bun and @fusio/deno (each runtime's
// test/cas-worker.ts calls runCasWorker with its own Fs). Modes, from the command line:
//   race ROOT KEY NAME ROUNDS  append "NAME:round" to the JSON list at KEY, ROUNDS times, by
//                              read + putConditional, retrying on PreconditionFailed
//   churn ROOT KEY SIZE        CAS-replace KEY with SIZE-byte self-checking versions forever,
//                              printing each version number it published
import { createHash } from "node:crypto";
import { type CasFs, FusioError } from "@fusio/core";

/** Runs the mode the command line names on the Fs `open` makes for its root. */
export async function runCasWorker(open: (root: string) => CasFs): Promise<void> {
  const [mode, root, key, ...rest] = process.argv.slice(2) as [string, string, string, ...string[]];
  const fs = open(root);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  if (mode === "race") {
    const [name, rounds] = rest as [string, string];
    let retries = 0;
    for (let round = 0; round < Number(rounds); round++) {
      for (;;) {
        const current = await fs.loadWithTag(key);
        const list: string[] = current ? JSON.parse(decoder.decode(current.data)) : [];
        list.push(`${name}:${round}`);
        try {
          const data = encoder.encode(JSON.stringify(list));
          await fs.putConditional(key, data, current ? { ifMatch: current.tag } : { ifNotExists: true });
          break;
        } catch (error) {
          if (!FusioError.is(error, "PreconditionFailed")) throw error;
          retries++;
        }
      }
    }
    console.log(JSON.stringify({ name, retries }));
  } else if (mode === "churn") {
    const size = Number(rest[0]);
    for (let n = 1; ; n++) {
      const current = await fs.loadWithTag(key);
      const body = new Uint8Array(size).map((_, i) => (i * 31 + n) & 0xff);
      const header = encoder.encode(`${JSON.stringify({ n, sha: createHash("sha256").update(body).digest("hex") })}\n`);
      const data = new Uint8Array(header.length + size);
      data.set(header);
      data.set(body, header.length);
      await fs.putConditional(key, data, current ? { ifMatch: current.tag } : { ifNotExists: true });
      console.log(n);
    }
  }
}
