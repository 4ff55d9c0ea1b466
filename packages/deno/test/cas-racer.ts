// One racer of the multi-process CAS test, run as its own Deno process:
// `deno run -A --conditions source cas-racer.ts <root> <path> <name> <rounds>`. Each round appends
// "<name>:<round>" to the JSON list in <path> with a read / putConditional loop that retries on
// PreconditionFailed. Prints how many retries it needed.
import { FusioError } from "@fusio/core";
import { DenoFs } from "../src/index.ts";

const [root, path, name, rounds] = process.argv.slice(2) as [string, string, string, string];
const fs = new DenoFs({ root });
let retries = 0;
for (let round = 0; round < Number(rounds); round++) {
  for (;;) {
    const current = await fs.loadWithTag(path);
    const list: string[] = current ? JSON.parse(new TextDecoder().decode(current.data)) : [];
    list.push(`${name}:${round}`);
    const data = new TextEncoder().encode(JSON.stringify(list));
    try {
      await fs.putConditional(path, data, current ? { ifMatch: current.tag } : { ifNotExists: true });
      break;
    } catch (error) {
      if (!FusioError.is(error, "PreconditionFailed")) throw error;
      retries++;
    }
  }
}
console.log(JSON.stringify({ name, retries }));
