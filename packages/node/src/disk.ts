/**
 * `@fusio/node/disk`: the local-disk implementation behind `NodeFs`, for runtime packages
 * (`@fusio/bun`, `@fusio/deno`) that run it on their own `node:fs` and swap what is faster on
 * their runtime. Advanced: applications use `NodeFs` (or `BunFs`, `DenoFs`).
 *
 * ```ts
 * import { DiskFs, type DiskFsOptions } from "@fusio/node/disk";
 * export class BunFs extends DiskFs {
 *   constructor(options: DiskFsOptions) {
 *     super(options, { kind: "bun", openWriter: (fd) => new FileSinkWriter(fd) });
 *   }
 * }
 * ```
 */
export { DiskFile, type DiskFileInit, type DiskWriter } from "./disk-file.ts";
export { type DiskDriver, DiskFs, type DiskFsOptions } from "./disk-fs.ts";
export { ERRNO_KINDS, errnoCode, errnoKind, fromErrno } from "./internal/errors.ts";
