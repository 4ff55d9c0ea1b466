// List Blobs pages with properties and metadata, parsed as a tree (what an append keeps);
// plain listings are scanned by list-scan.ts.
// https://learn.microsoft.com/rest/api/storageservices/list-blobs

import type { ErrorContext } from "@fusio/core";
import { invalidAnswer } from "@fusio/http/answer";
import { parseXml, type XmlElement, xmlChild, xmlText } from "@fusio/http/xml";
import { dateOf } from "./answer.ts";
import { quoteEtag } from "./etag.ts";
import { type ListedItem, type ListPage, listedSize } from "./list-scan.ts";

function nameOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined) return undefined;
  // Names with characters XML cannot carry come percent-encoded, flagged Encoded="true".
  return element.attributes.Encoded === "true" ? decodeURIComponent(element.text) : element.text;
}

/**
 * Parses one List Blobs page.
 * @throws Error when the XML is unreadable, a size is not a byte count, or an escape is invalid:
 *   the caller maps it to `Remote`.
 */
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
      const metadataElement = xmlChild(child, "Metadata");
      let metadata: Record<string, string> | undefined;
      if (metadataElement !== undefined) {
        metadata = {};
        for (const entry of metadataElement.children) metadata[entry.name] = entry.text;
      }
      items.push({
        name,
        isPrefix: false,
        size: listedSize(property("Content-Length")),
        etag: quoteEtag(property("Etag")),
        lastModified: dateOf(property("Last-Modified")),
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

/** {@link parseListPage} for a call: @throws FusioError `Remote` when the page is not readable. */
export function readMetadataPage(xml: string, context: ErrorContext): ListPage {
  try {
    return parseListPage(xml);
  } catch (error) {
    throw invalidAnswer("the listing is not readable", context, error);
  }
}
