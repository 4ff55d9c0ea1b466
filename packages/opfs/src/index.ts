export { OpfsFs, type OpfsFsOptions } from "./opfs-fs.ts";
export { OpfsStreamFile } from "./opfs-stream-file.ts";
export { OpfsSyncFile } from "./opfs-sync-file.ts";
