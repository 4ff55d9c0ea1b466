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

const DONE: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

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

  write(data: Uint8Array): Promise<void> {
    // A FileSink on a file copies the chunk (and writes synchronously once its buffer is full):
    // hand back a settled promise rather than pay for an async function on every append.
    try {
      const written = this.#sink.write(data);
      return typeof written === "number" ? DONE : written.then(ignore);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async flush(): Promise<void> {
    await this.#sink.flush();
  }

  async close(): Promise<void> {
    await this.#sink.end();
  }
}
