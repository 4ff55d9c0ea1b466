export { DiskFile as BunFile } from "@fusio/disk";
export { BunFs, type BunFsOptions } from "./bun-fs.ts";
export { BunHttpClient, type BunHttpClientOptions } from "./http-client.ts";
