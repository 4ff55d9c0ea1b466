import { type ErrorContext, FusioError } from "@fusio/core";
import { decodeXmlText } from "@fusio/http";

/** One object of a ListObjectsV2 page. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
}

/** One ListObjectsV2 page. */
export interface ListPage {
  readonly objects: readonly ListedObject[];
  /** CommonPrefixes, each ending with the delimiter. */
  readonly prefixes: readonly string[];
  /** Set when more pages follow. */
  readonly nextToken: string | undefined;
}

/** The decoded text of the first `<name>` leaf in `xml` (any namespace prefix), or undefined. */
function leaf(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[\\w.-]+:)?${name}>([^<]*)<`).exec(xml);
  return match ? decodeXmlText(match[1] as string) : undefined;
}

/**
 * Reads a ListObjectsV2 response
 * ([ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)).
 * The document has a fixed shape (a `ListBucketResult` of `Contents` and `CommonPrefixes`
 * entries whose fields are text leaves; `<` in text is always escaped), so it is scanned
 * entry by entry rather than built into a tree: the list path does without the XML reader.
 */
export function parseListPage(xml: string, context: ErrorContext): ListPage {
  const root = /<([A-Za-z_][^\s/>]*)/.exec(xml)?.[1];
  if (root === undefined)
    throw new FusioError("Remote", "the list response is not XML", { ...context, retryable: true });
  if (root !== "ListBucketResult") throw new FusioError("Remote", `unexpected list response <${root}>`, context);
  const urlEncoded = leaf(xml, "EncodingType") === "url";
  const decode = (value: string): string => (urlEncoded ? decodeURIComponent(value.replace(/\+/g, " ")) : value);
  const objects: ListedObject[] = [];
  const prefixes: string[] = [];
  for (const [, name, body] of xml.matchAll(/<(?:[\w.-]+:)?(Contents|CommonPrefixes)>([\s\S]*?)<\/(?:[\w.-]+:)?\1>/g)) {
    const entry = body as string;
    if (name === "CommonPrefixes") {
      prefixes.push(decode(leaf(entry, "Prefix") ?? ""));
      continue;
    }
    const modified = leaf(entry, "LastModified");
    objects.push({
      key: decode(leaf(entry, "Key") ?? ""),
      size: Number(leaf(entry, "Size") ?? 0),
      etag: leaf(entry, "ETag"),
      lastModified: modified ? new Date(modified) : undefined,
    });
  }
  const token = leaf(xml, "NextContinuationToken");
  return { objects, prefixes, nextToken: leaf(xml, "IsTruncated") === "true" && token ? token : undefined };
}
