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

/** The decoded text of the first `tag` (`<name>`) leaf in `xml` between `from` and `to`, or undefined. */
function leaf(xml: string, tag: string, from = 0, to = xml.length): string | undefined {
  const at = xml.indexOf(tag, from);
  if (at < 0 || at > to) return undefined;
  const start = at + tag.length;
  return decodeXmlText(xml.slice(start, xml.indexOf("<", start)));
}

/**
 * Reads a ListObjectsV2 response
 * ([ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)).
 * The document has a fixed shape (a `ListBucketResult` in the default namespace holding
 * `Contents` and `CommonPrefixes` entries whose fields are text leaves; `<` in text is always
 * escaped), so it is scanned with `indexOf` rather than built into a tree: the list path does
 * without the XML reader, and is faster for it.
 */
export function parseListPage(xml: string, context: ErrorContext): ListPage {
  const notXml = (): FusioError =>
    new FusioError("Remote", "the list response is not XML", { ...context, retryable: true });
  const root = /<([A-Za-z_][^\s/>]*)/.exec(xml)?.[1];
  if (root === undefined) throw notXml();
  if (root !== "ListBucketResult") throw new FusioError("Remote", `unexpected list response <${root}>`, context);
  const urlEncoded = leaf(xml, "<EncodingType>") === "url";
  const decode = (value = ""): string => (urlEncoded ? decodeURIComponent(value.replace(/\+/g, " ")) : value);
  const objects: ListedObject[] = [];
  const prefixes: string[] = [];
  for (const name of ["Contents", "CommonPrefixes"]) {
    for (let at = xml.indexOf(`<${name}>`), end = 0; at >= 0; at = xml.indexOf(`<${name}>`, end)) {
      end = xml.indexOf(`</${name}>`, at);
      if (end < 0) throw notXml();
      if (name === "CommonPrefixes") {
        prefixes.push(decode(leaf(xml, "<Prefix>", at, end)));
        continue;
      }
      const modified = leaf(xml, "<LastModified>", at, end);
      objects.push({
        key: decode(leaf(xml, "<Key>", at, end)),
        size: Number(leaf(xml, "<Size>", at, end) ?? 0),
        etag: leaf(xml, "<ETag>", at, end),
        lastModified: modified ? new Date(modified) : undefined,
      });
    }
  }
  const token = leaf(xml, "<NextContinuationToken>");
  return { objects, prefixes, nextToken: leaf(xml, "<IsTruncated>") === "true" && token ? token : undefined };
}
