export { type FusioDriverInstance, type FusioDriverOptions, fusioDriver } from "./fusio-driver.ts";
export { UnstorageFile } from "./unstorage-file.ts";
export { UnstorageFs, type UnstorageFsOptions, unstorageFs } from "./unstorage-fs.ts";
