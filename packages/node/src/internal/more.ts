// What a local Fs and its files load at their first use, as one module (one chunk in a
// code-split bundle): the directory calls, copy and link (ops.ts), the conditional writes with
// their lock files (cas.ts), the file calls off the hot path (file-calls.ts), and the mapping of
// native errors (errors.ts).
export { loadWithTag, putConditional } from "./cas.ts";
export { fromErrno } from "./errors.ts";
export * from "./file-calls.ts";
export * from "./ops.ts";
