// The few Deno APIs the tests use, typed locally: the package opts into Node's types only.
export interface DenoTestApi {
  errors: Record<string, new (message?: string) => Error>;
  open(path: string, options?: { read?: boolean; write?: boolean; create?: boolean }): Promise<{ close(): void }>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  readTextFile(path: string): Promise<string>;
  execPath(): string;
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
