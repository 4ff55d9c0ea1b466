/** The store a `KvFs` keeps its files in: a database table, IndexedDB, a cache service, ... */
export interface MyKv {
  /** The value at `key`, or `undefined` when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Stores `value` at `key`, replacing what was there. */
  set(key: string, value: Uint8Array): Promise<void>;
  /** Removes `key`; a missing key resolves. */
  delete(key: string): Promise<void>;
  /** Every key, in any order. */
  keys(): AsyncIterable<string>;
}

/** A `MyKv` in a `Map`, for this example and its tests. */
export class MapKv implements MyKv {
  readonly #values = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.#values.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    // Keep a copy, as a real store would: the caller may reuse its array.
    this.#values.set(key, value.slice());
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async *keys(): AsyncIterable<string> {
    yield* this.#values.keys();
  }
}
