import { FusioError } from "@fusio/core";
import { OpfsFs } from "@fusio/opfs";
import { describe, expect, it } from "vitest";
import { kindOf } from "../../packages/opfs/src/internal/errors.ts";
import { callWorker } from "../src/worker-rpc.ts";
import type { errorMethods } from "./workers/errors.worker.ts";

// The errors Chromium really raises, provoked with the raw File System API, and the kinds they map to.
const base = `errors-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function raised(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("the call resolved");
}

describe("errors Chromium's OPFS raises map to fusio kinds", async () => {
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(base, { create: true });
  const sub = await dir.getDirectoryHandle("sub", { create: true });
  await sub.getFileHandle("inside", { create: true });
  await dir.getFileHandle("file", { create: true });

  it.each([
    ["a missing file", () => dir.getFileHandle("missing"), "file", "NotFoundError", "NotFound"],
    ["a directory opened as a file", () => dir.getFileHandle("sub"), "file", "TypeMismatchError", "IsADirectory"],
    [
      "a file walked as a directory",
      () => dir.getDirectoryHandle("file"),
      "directory",
      "TypeMismatchError",
      "NotADirectory",
    ],
    ["removing a non-empty directory", () => dir.removeEntry("sub"), "directory", "InvalidModificationError", "Io"],
    ["a name the browser refuses", () => dir.getFileHandle("a/b"), "file", "TypeError", "InvalidPath"],
  ] as const)("%s", async (_, run, expected, name, kind) => {
    const error = await raised(run);
    expect((error as Error).name).toBe(name);
    expect(kindOf(error, expected).kind).toBe(kind);
  });

  it("through OpfsFs: a directory in the way of a file, and a file in the way of a directory", async () => {
    const fs = new OpfsFs();
    for (const [run, kind] of [
      [() => fs.open(`${base}/sub`), "IsADirectory"],
      [() => fs.open(`${base}/file/below`, { create: true }), "NotADirectory"],
      [() => fs.stat(`${base}/file/below`), "NotADirectory"],
      [() => fs.remove(`${base}/sub`), "IsADirectory"],
      [() => fs.createDirAll(`${base}/file/deeper`), "NotADirectory"],
      [() => fs.open(".fusio-tags/x", { create: true }), "InvalidPath"],
    ] as const) {
      const error = await raised(run);
      expect(FusioError.is(error) ? error.kind : String(error)).toBe(kind);
    }
  });

  it.each(["exclusive handle", "writable stream"] as const)(
    "in a worker, a %s on a file OpfsFs has open: NoModificationAllowedError, Io and retryable",
    async (how) => {
      const worker = new Worker(new URL("./workers/errors.worker.ts", import.meta.url), { type: "module" });
      try {
        const result = await callWorker<typeof errorMethods, "lockConflict">(worker, "lockConflict", base, how);
        expect(result).toEqual({ name: "NoModificationAllowedError", kind: "Io", retryable: true });
      } finally {
        worker.terminate();
      }
    },
  );
});
