export { BufferedReader, BufferedWriter, type BufferOptions } from "./buffered.ts";
export { type CopyOptions, copy, type Progress } from "./copy.ts";
export { discard, exists, readFile, type WriteFileOptions, writeFile } from "./files.ts";
export {
  type ReadableOptions,
  toReadableStream,
  toWritableStream,
  type WritableOptions,
  writeFromStream,
} from "./streams.ts";
