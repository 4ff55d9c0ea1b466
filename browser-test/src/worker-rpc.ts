// Calls from the page into functions a test worker exports, with results and errors posted back.
import { FusioError } from "@fusio/core";
import { scope } from "./worker-scope.ts";

/** The functions a worker serves; the page names one and passes structured-cloneable arguments. */
export type WorkerMethods = Record<string, (...args: never[]) => Promise<unknown>>;

type Request = { readonly id: number; readonly method: string; readonly args: readonly unknown[] };
type Reply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: { readonly kind?: string; readonly message: string } };

/** In a worker: answers the page's calls with `methods`. */
export function serveCalls(methods: WorkerMethods): void {
  scope.addEventListener("message", async (event: MessageEvent<Request>) => {
    const { id, method, args } = event.data;
    try {
      const run = methods[method] as (...args: readonly unknown[]) => Promise<unknown>;
      scope.postMessage({ id, result: await run(...args) } satisfies Reply);
    } catch (error) {
      const kind = FusioError.is(error) ? error.kind : undefined;
      const message = error instanceof Error ? error.message : String(error);
      scope.postMessage({ id, error: kind === undefined ? { message } : { kind, message } } satisfies Reply);
    }
  });
}

/** An error a worker call rejected with; `kind` is the FusioError kind when it was one. */
export class WorkerCallError extends Error {
  readonly kind: string | undefined;
  constructor(message: string, kind: string | undefined) {
    super(message);
    this.kind = kind;
  }
}

let nextId = 0;

/** On the page: calls `method` of the worker that serves `M`. */
export function callWorker<M extends WorkerMethods, K extends keyof M & string>(
  worker: Worker,
  method: K,
  ...args: Parameters<M[K]>
): ReturnType<M[K]> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<Reply>): void => {
      if (event.data.id !== id) return;
      worker.removeEventListener("message", onMessage);
      if ("error" in event.data) reject(new WorkerCallError(event.data.error.message, event.data.error.kind));
      else resolve(event.data.result);
    };
    worker.addEventListener("message", onMessage);
    worker.postMessage({ id, method, args } satisfies Request);
  }) as ReturnType<M[K]>;
}
