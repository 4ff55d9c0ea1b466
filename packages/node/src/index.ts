export { DiskFile as NodeFile } from "@fusio/disk";
export { NodeFs, type NodeFsOptions } from "./node-fs.ts";
