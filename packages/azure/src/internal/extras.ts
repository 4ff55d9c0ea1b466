// Everything the common path (open, ranged reads, small writes, recursive lists with Shared Key
// or SAS) does not need, loaded at its first use through one dynamic import: block staging and
// append splicing, stat, remove, copy, conditional writes, whole-blob reads, delimited-listing
// order, error mapping, bearer tokens, SAS signing. One module keeps the split to one lazy chunk.
export { bearerAuthorizer } from "./bearer.ts";
export { azureError } from "./errors.ts";
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
