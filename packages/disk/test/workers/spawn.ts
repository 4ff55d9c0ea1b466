import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, "../..");

export interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the first message (a parsed stdout line) that `accept` takes, old or new. */
  next<T = unknown>(accept: (message: unknown) => boolean): Promise<T>;
  send(line: string): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs test/workers/cas-worker.ts in a child process of the same Node binary, through tsx. */
export function worker(...args: string[]): Worker {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(here, "cas-worker.ts"), ...args],
    { cwd: packageDir, stdio: ["pipe", "pipe", "pipe"] },
  );
  const messages: unknown[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  let done = false;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    messages.push(JSON.parse(line));
    for (const wake of waiters) wake();
  });
  let status = "";
  // "close", not "exit": one SIGCHLD makes the parent reap every child that has exited by
  // then, so a child can be reported exited in a loop turn whose poll did not yet include the
  // last lines it wrote to its pipes (they arrive a turn later). Under load, with 8 workers
  // finishing together, waiting one setImmediate after "exit" gave up on a message that had
  // been written, and lost stderr too. "close" comes only after stdout and stderr have ended,
  // so every line the child wrote has been seen by then.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
      status = signal === null ? `code ${code}` : `signal ${signal}`;
      done = true;
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    send: (line) => child.stdin.write(`${line}\n`),
    next<T>(accept: (message: unknown) => boolean): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(accept);
          if (found !== undefined) {
            waiters.delete(check);
            resolve(found as T);
          } else if (done) {
            waiters.delete(check);
            reject(new Error(`worker ${args.join(" ")} exited (${status}) without the message; stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export async function kill9(child: Worker): Promise<void> {
  child.child.kill("SIGKILL");
  const { signal } = await child.exited;
  if (signal !== "SIGKILL") throw new Error(`expected the worker to die by SIGKILL, got ${signal}`);
}
