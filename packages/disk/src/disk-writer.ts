/**
 * A runtime's own way of appending to an open file (e.g. Bun's FileSink), used instead of the
 * callback `fs.write` on the descriptor. `write` calls are made one at a time, in call order.
 */
export interface DiskWriter {
  /**
   * Appends all of `data`. May buffer; the bytes must be in the file after `flush`. Returns
   * `undefined` when it is done with `data` already (copied or written), so that the file
   * settles the append without a promise of the writer's; else a promise of completion.
   */
  write(data: Uint8Array): Promise<void> | undefined;
  /** Hands buffered bytes to the OS, so that readers and `fsync` see them. */
  flush(): Promise<void>;
  /** Releases the writer (not the descriptor, which the file closes itself). */
  close(): Promise<void>;
}
