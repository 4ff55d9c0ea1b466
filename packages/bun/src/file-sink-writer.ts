import type { DiskWriter } from "@fusio/node/disk";

// The part of Bun's FileSink used here (https://bun.sh/docs/api/file-io#incremental-writing-with-filesink).
interface FileSink {
  write(chunk: Uint8Array): number | Promise<number>;
  flush(): number | Promise<number>;
  end(): number | Promise<number>;
}

interface BunGlobal {
  file(fd: number): { writer(options?: { highWaterMark?: number }): FileSink };
}

/**
 * Appends through a `Bun.file(fd).writer()` FileSink on the handle's O_APPEND descriptor: the
 * sink copies each chunk into its buffer and writes once the buffer fills (or on flush), which
 * measured ~4x faster than a write call per chunk. Bytes reach the file by `flush`, `sync` and
 * `close` (the file calls `flush` first); ending the sink leaves the descriptor open.
 */
export class FileSinkWriter implements DiskWriter {
  readonly #sink: FileSink;

  constructor(fd: number) {
    this.#sink = (globalThis as unknown as { Bun: BunGlobal }).Bun.file(fd).writer();
  }

  async write(data: Uint8Array): Promise<void> {
    await this.#sink.write(data);
  }

  async flush(): Promise<void> {
    await this.#sink.flush();
  }

  async close(): Promise<void> {
    await this.#sink.end();
  }
}
