/** One stored object. Handles share it, so every write is visible to every handle at once. */
export class Entry {
  #bytes: Uint8Array;
  length = 0;
  tag: string;
  lastModified: Date = new Date();
  contentType: string | undefined;
  metadata: Readonly<Record<string, string>> | undefined;

  constructor(tag: string, data?: Uint8Array) {
    this.tag = tag;
    this.#bytes = new Uint8Array(data ? data.length : 0);
    if (data) this.append(data);
  }

  /** The content; a view that is only valid until the next write. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.length);
  }

  append(data: Uint8Array): void {
    const needed = this.length + data.length;
    if (needed > this.#bytes.length) {
      // Grow geometrically so a long run of small appends stays linear.
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2, 64));
      grown.set(this.view());
      this.#bytes = grown;
    }
    this.#bytes.set(data, this.length);
    this.length = needed;
  }

  replace(data: Uint8Array): void {
    this.#bytes = data.slice();
    this.length = data.length;
  }
}
