// The few Deno APIs the tests use, typed locally: the package opts into Node's types only.
export interface DenoTestApi {
  errors: Record<string, new (message?: string) => Error>;
  open(path: string, options?: { read?: boolean; write?: boolean; create?: boolean }): Promise<{ close(): void }>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  readTextFile(path: string): Promise<string>;
  execPath(): string;
  Command: new (
    command: string,
    options: { args: string[]; stdout: "piped"; stderr: "piped" | "inherit"; stdin: "null" },
  ) => {
    output(): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }>;
    spawn(): {
      stdout: ReadableStream<Uint8Array>;
      status: Promise<{ code: number }>;
      kill(signal: "SIGKILL"): void;
    };
  };
  version: { deno: string };
}

export const Deno = (globalThis as unknown as { Deno: DenoTestApi }).Deno;

/** What a rejected call threw. */
export async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/**
 * Runs the Deno binary itself with exactly `args`. (node:child_process under Deno rewrites the
 * arguments of a spawned `deno` as if it were `node`, adding permissions: use Deno.Command.)
 */
export async function runDeno(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** A running Deno child whose stdout lines can be awaited. */
export interface DenoChild {
  /** Resolves with the first stdout line that `match` accepts. */
  line(match: (line: string) => boolean): Promise<string>;
  kill9(): Promise<void>;
}

export function spawnDeno(args: string[]): DenoChild {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "inherit", stdin: "null" }).spawn();
  const lines = child.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return {
    async line(match) {
      for (;;) {
        const newline = buffered.indexOf("\n");
        if (newline >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (match(line)) return line;
          continue;
        }
        const { done, value } = await lines.read();
        if (done) throw new Error("the child exited first");
        buffered += decoder.decode(value, { stream: true });
      }
    },
    async kill9() {
      child.kill("SIGKILL");
      await child.status;
      await lines.cancel().catch(() => undefined);
    },
  };
}
