export { DiskFile as DenoFile } from "@fusio/disk";
export { DenoFs, type DenoFsOptions } from "./deno-fs.ts";
export { DenoHttpClient, type DenoHttpClientOptions } from "./http-client.ts";
