// Durability of an open file: `sync` is fdatasync / fsync of the descriptor after the queued
// appends (and the runtime writer's buffer), plus, for a file its open created, an fsync of the
// directories whose entries changed.
import { dirname } from "node:path";
import type { ErrorContext, SyncLevel } from "@fusio/core";
import { flushWriter } from "./append.ts";
import { fromErrno } from "./errors.ts";
import type { Handle } from "./handle.ts";
import { fsyncFd, syncDir } from "./io.ts";

/** Makes what was written through `h` durable at `level`. */
export async function syncNow(h: Handle, level: SyncLevel, context: ErrorContext): Promise<void> {
  try {
    await flushWriter(h, "sync");
    await fsyncFd(h.fd, level);
    // A new file survives a power cut only once its name is durable in its directory
    // (and, for directories `create` made, theirs in their parents).
    if (h.toSync) {
      for (const directory of directoriesToSync(...h.toSync)) await syncDir(directory);
      h.toSync = undefined;
    }
  } catch (error) {
    throw fromErrno(error, context);
  }
  if (h.error) throw h.error;
}

/**
 * The directories whose entries changed when `file` was created: its own directory, and when
 * `mkdir -p` made directories (the first being `made`), each of those and the one above them.
 */
function directoriesToSync(file: string, made: string | undefined): string[] {
  const out: string[] = [];
  const stop = made === undefined ? undefined : dirname(made);
  for (let current = dirname(file); ; current = dirname(current)) {
    out.push(current);
    if (stop === undefined || current === stop || dirname(current) === current) return out;
  }
}
