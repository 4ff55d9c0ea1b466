export { DiskFile as NodeFile } from "./disk-file.ts";
export { NodeFs, type NodeFsOptions } from "./node-fs.ts";
