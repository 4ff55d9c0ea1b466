// The order of a delimited listing (a directory's children, not recursive).
import { Path } from "@fusio/core";
import type { ListedItem } from "./list-scan.ts";

/** The key an item sorts by in fusio's order: a directory sorts as its path, without the `/`. */
function pathKey(item: ListedItem): string {
  return item.isPrefix ? item.name.slice(0, -1) : item.name;
}

/**
 * Reorders a delimited listing from the service's order to fusio's. The service sorts a
 * directory as `c/`, after `c.txt` (`.` < `/`); fusio sorts it as the path `c`, before. An item
 * whose name has a character below `/` after some prefix `p` is held back until the listing
 * has passed `p/` (or ended), so that a directory `p` arriving later can go first.
 */
export class ListOrder<T extends ListedItem = ListedItem> {
  #held: T[] = [];
  readonly #prefixLength: number;
  // Azurite repeats a directory on the next page when a page ends inside it.
  readonly #directories = new Set<string>();

  /** `prefix` is the listing's prefix: every name starts with it, so no directory hides in it. */
  constructor(prefix: string) {
    this.#prefixLength = prefix.length;
  }

  /** Accepts the next item in service order; returns the items now ready, in fusio order. */
  push(item: T): T[] {
    if (item.isPrefix) {
      if (this.#directories.has(item.name)) return [];
      this.#directories.add(item.name);
    }
    const key = pathKey(item);
    const held = this.#held;
    let at = held.length;
    while (at > 0 && Path.compare(pathKey(held[at - 1] as T), key) > 0) at--;
    held.splice(at, 0, item);
    let ready = 0;
    while (
      ready < held.length &&
      Path.compare(threshold(pathKey(held[ready] as T), this.#prefixLength), item.name) <= 0
    )
      ready++;
    return held.splice(0, ready);
  }

  /** The listing ended: everything held is ready. */
  end(): T[] {
    return this.#held.splice(0);
  }

  /** Accepts one page (`last`: the listing's last); returns the items now ready, in fusio order. */
  page(items: T[], last: boolean): T[] {
    // Azurite groups a page's prefixes after its blobs; the service interleaves them. Either way
    // a page is one contiguous range of names, so sorting it restores the service order.
    items.sort((a, b) => Path.compare(a.name, b.name));
    const ready = items.flatMap((item) => this.push(item));
    return last ? ready.concat(this.end()) : ready;
  }
}

/** The service-order key a listing must reach before `key` is safe to yield ("" if at once). */
function threshold(key: string, from: number): string {
  for (let i = from + 1; i < key.length; i++) {
    if (key.charCodeAt(i) < 0x2f) return `${key.slice(0, i)}/`;
  }
  return "";
}
