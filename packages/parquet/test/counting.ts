// Test utility: a File that counts what goes through it, around a real backend's File.
import type { CallOptions, File, Fs, OpenOptions, Path, SyncLevel } from "@fusio/core";

export interface ReadRecord {
  start: number;
  end: number;
}

/** Counts reads (with their ranges), size calls, writes (with the memory they came from). */
export class CountingFile implements File {
  readonly inner: File;
  readonly reads: ReadRecord[] = [];
  readonly writes: number[] = [];
  /** The memory each write's bytes were in. */
  readonly writeBuffers: ArrayBufferLike[] = [];
  sizeCalls = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(inner: File) {
    this.inner = inner;
  }

  get path(): Path {
    return this.inner.path;
  }

  get bytesRead(): number {
    return this.reads.reduce((sum, read) => sum + (read.end - read.start), 0);
  }

  async readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    this.reads.push({ start: pos, end: pos + buf.length });
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      // Let every read that was issued together start before any finishes.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await this.inner.readExactAt(buf, pos, options);
    } finally {
      this.inFlight--;
    }
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const size = await this.inner.size();
    this.reads.push({ start: pos, end: size });
    return this.inner.readToEndAt(pos, options);
  }

  size(options?: CallOptions): Promise<number> {
    this.sizeCalls++;
    return this.inner.size(options);
  }

  writeAll(data: Uint8Array, options?: CallOptions): Promise<void> {
    this.writes.push(data.length);
    this.writeBuffers.push(data.buffer);
    return this.inner.writeAll(data, options);
  }

  flush(options?: CallOptions): Promise<void> {
    return this.inner.flush(options);
  }

  close(options?: CallOptions): Promise<void> {
    return this.inner.close(options);
  }

  sync(level?: SyncLevel, options?: CallOptions): Promise<void> {
    return this.inner.sync(level, options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

export async function openCounting(fs: Fs, path: Path | string, options?: OpenOptions): Promise<CountingFile> {
  return new CountingFile(await fs.open(path, options));
}
