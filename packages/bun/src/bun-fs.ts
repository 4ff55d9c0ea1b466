import { DiskFs, type DiskFsOptions } from "@fusio/disk";
import { FileSinkWriter } from "./file-sink-writer.ts";

/** Options of {@link BunFs}. */
export interface BunFsOptions extends DiskFsOptions {}

/**
 * A local directory as a fusio `CasFs` under Bun, on the fastest of Bun's primitives for each
 * operation (measured in `pnpm bench`): positional reads with `node:fs` `read` on the
 * descriptor straight into the caller's buffer (faster than `Bun.file().slice()`), appends
 * through a `Bun.file(fd).writer()` FileSink. Everything else — paths confined to `root`,
 * directories, copy, hard links, crash-safe cross-process CAS — is the `@fusio/disk` engine's.
 *
 * Unlike NodeFs, a resolved `writeAll` may still sit in the FileSink's buffer: other readers
 * see it after `flush`, `sync` or `close`, and a process that dies before one of those loses it.
 *
 * ```ts
 * const fs = new BunFs({ root: "./data" });
 * await using file = await fs.open("logs/today.log", { create: true });
 * await file.writeAll(new TextEncoder().encode("hello\n"));
 * ```
 */
export class BunFs extends DiskFs {
  constructor(options: BunFsOptions) {
    super(options, { kind: "bun", openWriter: (fd) => new FileSinkWriter(fd) });
  }
}
