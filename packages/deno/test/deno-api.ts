// The few Deno APIs the tests use, typed locally: the package opts into Node's types only.
export interface DenoTestApi {
  errors: Record<string, new (message?: string) => Error>;
  open(path: string, options?: { read?: boolean; write?: boolean; create?: boolean }): Promise<{ close(): void }>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  readTextFile(path: string): Promise<string>;
  execPath(): string;
  Command: new (
    command: string,
    options: { args: string[]; stdout: "piped"; stderr: "piped"; stdin: "null" },
  ) => { output(): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }> };
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
