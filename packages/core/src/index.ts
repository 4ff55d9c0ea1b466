import "./dispose.ts";

export {
  beginCall,
  beginOpen,
  beginPutConditional,
  beginReadFile,
  checkFileCall,
  type FileCallState,
  type FsCall,
  fileContext,
  type OpenCall,
} from "./call.ts";
export { type ErrorKind, FusioError, type FusioErrorOptions } from "./errors.ts";
export type { File, Read, Write } from "./file.ts";
export {
  type Capabilities,
  type CasCondition,
  type CasFs,
  type FileMeta,
  type Fs,
  isCasFs,
  type ListOptions,
  type PutConditionalOptions,
} from "./fs.ts";
export type { HttpClient, HttpRequest, HttpResponse } from "./http.ts";
export { type NormalizedOpenOptions, normalizeOpenOptions, type OpenOptions, type SyncLevel } from "./options.ts";
export { Path, type PathErrorContext, toPath } from "./path.ts";
export {
  type AbortSignalLike,
  abortError,
  type CallOptions,
  type ErrorContext,
  sleep,
  throwIfAborted,
} from "./signal.ts";
export { checkBytes, checkCasCondition, checkPosition } from "./validate.ts";
