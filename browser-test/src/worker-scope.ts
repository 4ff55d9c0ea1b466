// The part of a dedicated worker's global scope the test workers use (the DOM lib, which the
// tests compile with, types `self` as a window).
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

export const scope: WorkerScope = globalThis as unknown as WorkerScope;
