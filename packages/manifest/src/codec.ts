/**
 * How values are stored inside the JSON documents. The stored form must be a JSON value,
 * since segments and checkpoints are JSON (`{"key": ..., "op": "Put", "value": <stored>}`).
 * A manifest shared with a Rust process needs a codec whose stored form matches the serde
 * shape of the Rust value type.
 */
export interface ValueCodec<V> {
  /** The JSON value written for `value`. Must not return `undefined`. */
  encode(value: V): unknown;
  /** The value read back from its stored JSON form; throw on a shape you do not accept. */
  decode(stored: unknown): V;
}

/**
 * The default codec: values are stored as they are, so they must be JSON-serialisable
 * (objects, arrays, strings, finite numbers, booleans, null). Decoding trusts the stored
 * document.
 */
export function jsonCodec<V = unknown>(): ValueCodec<V> {
  return {
    encode: (value) => value,
    decode: (stored) => stored as V,
  };
}
