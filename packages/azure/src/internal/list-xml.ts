// List Blobs responses: https://learn.microsoft.com/rest/api/storageservices/list-blobs
// The tree-parsed page (with metadata, for appends) and the delimited-listing order; the plain
// scan the listing path uses lives in list-scan.ts.
import { Path } from "@fusio/core";
import { parseXml, type XmlElement, xmlChild, xmlText } from "@fusio/http/xml";
import { type ListedItem, type ListPage, quoteEtag } from "./list-scan.ts";

export { type ListedItem, type ListPage, quoteEtag, scanListPage } from "./list-scan.ts";

function nameOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  // Names with characters XML cannot carry come percent-encoded, flagged Encoded="true".
  return element.attributes.Encoded === "true" ? decodeURIComponent(element.text) : element.text;
}

/** Parses one List Blobs page. @throws Error when the XML is unreadable. */
export function parseListPage(xml: string): ListPage {
  const root = parseXml(xml);
  const items: ListedItem[] = [];
  const blobs = xmlChild(root, "Blobs");
  if (blobs !== undefined) {
    for (const child of blobs.children) {
      const name = nameOf(xmlChild(child, "Name"));
      if (name === undefined) continue;
      if (child.name === "BlobPrefix") {
        items.push({ name, isPrefix: true, size: 0 });
        continue;
      }
      if (child.name !== "Blob") continue;
      const properties = xmlChild(child, "Properties");
      const property = (key: string): string | undefined => {
        const value = properties === undefined ? undefined : xmlText(properties, key);
        return value === "" ? undefined : value;
      };
      const modified = property("Last-Modified");
      const metadataElement = xmlChild(child, "Metadata");
      let metadata: Record<string, string> | undefined;
      if (metadataElement !== undefined) {
        metadata = {};
        for (const entry of metadataElement.children) metadata[entry.name] = entry.text;
      }
      items.push({
        name,
        isPrefix: false,
        size: Number(property("Content-Length") ?? 0),
        etag: quoteEtag(property("Etag")),
        lastModified: modified === undefined ? undefined : new Date(modified),
        contentType: property("Content-Type"),
        cacheControl: property("Cache-Control"),
        contentEncoding: property("Content-Encoding"),
        contentLanguage: property("Content-Language"),
        contentDisposition: property("Content-Disposition"),
        metadata,
      });
    }
  }
  const next = xmlText(root, "NextMarker");
  return { items, nextMarker: next === undefined || next === "" ? undefined : next };
}

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
export class ListOrder {
  #held: ListedItem[] = [];
  readonly #prefixLength: number;
  // Azurite repeats a directory on the next page when a page ends inside it.
  readonly #directories = new Set<string>();

  /** `prefix` is the listing's prefix: every name starts with it, so no directory hides in it. */
  constructor(prefix: string) {
    this.#prefixLength = prefix.length;
  }

  /** Accepts the next item in service order; returns the items now ready, in fusio order. */
  push(item: ListedItem): ListedItem[] {
    if (item.isPrefix) {
      if (this.#directories.has(item.name)) return [];
      this.#directories.add(item.name);
    }
    const key = pathKey(item);
    const held = this.#held;
    let at = held.length;
    while (at > 0 && Path.compare(pathKey(held[at - 1] as ListedItem), key) > 0) at--;
    held.splice(at, 0, item);
    let ready = 0;
    while (
      ready < held.length &&
      Path.compare(threshold(pathKey(held[ready] as ListedItem), this.#prefixLength), item.name) <= 0
    )
      ready++;
    return held.splice(0, ready);
  }

  /** The listing ended: everything held is ready. */
  end(): ListedItem[] {
    return this.#held.splice(0);
  }

  /** Accepts one page (`last`: the listing's last); returns the items now ready, in fusio order. */
  page(items: ListedItem[], last: boolean): ListedItem[] {
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
