export { MemoryFile } from "./memory-file.ts";
export { MemoryFs, type MemoryFsOptions } from "./memory-fs.ts";
