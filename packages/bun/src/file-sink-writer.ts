import type { DiskWriter } from "@fusio/disk";
import { fsError } from "./internal/errors.ts";

// The part of Bun's FileSink used here (https://bun.sh/docs/api/file-io#incremental-writing-with-filesink).
interface FileSink {
  write(chunk: Uint8Array): number | Promise<number>;
  flush(): number | Promise<number>;
  end(): number | Promise<number>;
}

interface BunGlobal {
  file(fd: number): { writer(options?: { highWaterMark?: number }): FileSink };
}

const ignore = (): void => undefined;

/**
 * Appends through a `Bun.file(fd).writer()` FileSink on the handle's O_APPEND descriptor: the
 * sink copies each chunk into its buffer and writes once the buffer fills (or on flush), which
 * measured ~4x faster than a write call per chunk. Bytes reach the file by `flush`, `sync` and
 * `close` (the file calls `flush` first); ending the sink leaves the descriptor open.
 */
export class FileSinkWriter implements DiskWriter {
  readonly #sink: FileSink;
  /**
   * The first failure of the sink. A failed flush loses the bytes it held, so nothing may be
   * appended after it (that would leave a hole): every later call rejects with it.
   */
  #failure: { error: unknown } | undefined;

  constructor(fd: number) {
    this.#sink = (globalThis as unknown as { Bun: BunGlobal }).Bun.file(fd).writer();
  }

  write(data: Uint8Array): Promise<void> | undefined {
    if (this.#failure) return Promise.reject(this.#failure.error);
    // A FileSink on a file copies the chunk (and writes synchronously once its buffer is full):
    // report it done at once rather than pay for a promise on every append.
    try {
      const written = this.#sink.write(data);
      return typeof written === "number" ? undefined : written.then(ignore, this.#fail);
    } catch (error) {
      return this.#fail(error);
    }
  }

  async flush(): Promise<void> {
    if (this.#failure) throw this.#failure.error;
    try {
      await this.#sink.flush();
    } catch (error) {
      await this.#fail(error);
    }
  }

  async close(): Promise<void> {
    try {
      await this.#sink.end();
    } catch (error) {
      // Already reported by the failed write or flush; the descriptor is closed by the file.
      if (!this.#failure) throw error;
    }
  }

  // As a FusioError: the file also flushes before reads and `size`, and passes what this
  // rejects with on as it is there.
  readonly #fail = (error: unknown): Promise<never> => {
    this.#failure ??= { error: fsError(error, { op: "append", backend: "bun" }) };
    return Promise.reject(this.#failure.error);
  };
}
