// Everything the common path (open, ranged reads, small writes, recursive lists with Shared Key
// or SAS) does not need, loaded at its first use through one dynamic import: block staging and
// append splicing, stat, remove, copy, conditional writes, whole-blob reads, delimited-listing
// order, error mapping, bearer tokens, SAS signing. One module keeps the split to one lazy chunk.

// Not used here: re-exported so that a code-splitting bundler puts the classes into the chunk it
// shares between the entry and this module, next to the client, core and http code they load
// with. Otherwise they stay behind in the entry chunk: two chunks loading at start, each
// compressed on its own (measured with esbuild: ~450 bytes gz more for the Azure size job).
export { AzureBlobFs } from "../azure-fs.ts";
export { bearerAuthorizer } from "./bearer.ts";
export { responseError } from "./errors.ts";
export { ListOrder } from "./list-xml.ts";
export {
  closeBlocks,
  copy,
  link,
  loadWithTag,
  openAppend,
  putConditional,
  rangeError,
  readToEnd,
  remove,
  shortBody,
  startBlocks,
  stat,
} from "./ops.ts";
export { signBlobSas } from "./sas.ts";
