/**
 * `@fusio/disk`: the local-disk engine on the `node:fs` API that Node, Bun and Deno all provide
 * (root jail, positional I/O, durability, crash-safe CAS, errno mapping). Applications use
 * `NodeFs`, `BunFs` or `DenoFs`, which are this engine with their runtime's fastest primitives.
 */
export { DiskFile, type DiskFileInit } from "./disk-file.ts";
export { type DiskDriver, DiskFs, type DiskFsOptions } from "./disk-fs.ts";
export type { DiskWriter } from "./disk-writer.ts";
export { ERRNO_KINDS, errnoCode, errnoKind, fromErrno } from "./internal/errors.ts";
