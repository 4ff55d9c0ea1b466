// A Read that passes every call to a real file and records the byte ranges asked for.
import type { CallOptions, Read } from "@fusio/core";

export class CountingRead implements Read {
  readonly inner: Read;
  /** `[start, end)` of every readExactAt / readToEndAt, in call order. */
  readonly ranges: Array<[start: number, end: number]> = [];

  constructor(inner: Read) {
    this.inner = inner;
  }

  get bytesRead(): number {
    return this.ranges.reduce((sum, [start, end]) => sum + (end - start), 0);
  }

  readExactAt<T extends Uint8Array>(buf: T, pos: number, options?: CallOptions): Promise<T> {
    this.ranges.push([pos, pos + buf.length]);
    return this.inner.readExactAt(buf, pos, options);
  }

  async readToEndAt(pos: number, options?: CallOptions): Promise<Uint8Array> {
    const bytes = await this.inner.readToEndAt(pos, options);
    this.ranges.push([pos, pos + bytes.length]);
    return bytes;
  }

  size(options?: CallOptions): Promise<number> {
    return this.inner.size(options);
  }
}
