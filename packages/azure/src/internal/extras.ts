// Everything the common path (open, ranged reads, small writes, recursive lists with Shared Key
// or SAS) does not need, loaded at its first use through one dynamic import: block staging and
// append splicing, copy, conditional writes, whole-blob reads, delimited-listing order, bearer
// tokens, SAS signing. One module keeps the split to one lazy chunk.
export { BlockWriter } from "../block-writer.ts";
export { bearerAuthorizer } from "./bearer.ts";
export { azureError } from "./errors.ts";
export { ListOrder } from "./list-xml.ts";
export { copy, describe, loadWithTag, putConditional, readToEnd } from "./ops.ts";
export { signBlobSas } from "./sas.ts";
