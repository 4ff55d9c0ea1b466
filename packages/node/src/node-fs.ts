import { DiskFs, type DiskFsOptions } from "./disk-fs.ts";

/** Options of {@link NodeFs}. */
export interface NodeFsOptions extends DiskFsOptions {}

/**
 * A local directory as a fusio `CasFs`, on Node's fastest file primitives (the callback
 * `fs.read` / `fs.write` on the descriptor).
 *
 * ```ts
 * const fs = new NodeFs({ root: "/var/lib/app" });
 * await using file = await fs.open("logs/today.log", { create: true });
 * await file.writeAll(new TextEncoder().encode("hello\n"));
 * ```
 */
export class NodeFs extends DiskFs {
  constructor(options: NodeFsOptions) {
    super(options, { kind: "node" });
  }
}
