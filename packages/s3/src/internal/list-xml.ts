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
function leaf(xml: string, tag: string, from: number, to: number): string | undefined {
  const at = xml.indexOf(tag, from);
  if (at < 0 || at > to) return undefined;
  const start = at + tag.length;
  return decodeXmlText(xml.slice(start, xml.indexOf("<", start)));
}

/**
 * A `Contents` entry laid out the way S3 and the servers modelled on it (Ceph RGW, MinIO, R2)
 * send it: Key, LastModified, ETag, any checksum fields, then Size. Sticky: it matches at
 * `lastIndex` or not at all.
 */
const ENTRY =
  /<Contents><Key>([^<]*)<\/Key><LastModified>([^<]*)<\/LastModified><ETag>([^<]*)<\/ETag>(?:<(Checksum\w*)>[^<]*<\/\4>)*<Size>(\d+)<\/Size>/y;

/**
 * The fast path of {@link parseListPage}: the run of `Contents` entries starting at `first`,
 * each read with one sticky match (several times faster than looking up each field). Returns
 * where the run ends, or -1 as soon as an entry is laid out otherwise (another field order, a
 * field missing) or the entries do not form one run, for the caller to read the page field by
 * field instead.
 */
function scanEntries(xml: string, first: number, objects: ListedObject[]): number {
  let at = first;
  do {
    ENTRY.lastIndex = at;
    const match = ENTRY.exec(xml);
    if (match === null) return -1;
    const etag = match[3] as string;
    objects.push({
      key: decodeXmlText(match[1] as string),
      size: Number(match[5]),
      // Nearly always `&quot;...&quot;`, which needs no general decoding.
      etag: /^&quot;[^&]*&quot;$/.test(etag) ? `"${etag.slice(6, -6)}"` : decodeXmlText(etag),
      lastModified: new Date(match[2] as string),
    });
    const close = xml.indexOf("</Contents>", ENTRY.lastIndex);
    if (close < 0) return -1;
    at = close + "</Contents>".length;
  } while (xml.startsWith("<Contents>", at));
  return xml.indexOf("<Contents>", at) < 0 ? at : -1;
}

/**
 * Reads a ListObjectsV2 response
 * ([ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)).
 * The document has a fixed shape (a `ListBucketResult` in the default namespace holding
 * `Contents` and `CommonPrefixes` entries whose fields are text leaves; `<` in text is always
 * escaped), so it is scanned with `indexOf` and regular expressions rather than built into a
 * tree: the list path does without the XML reader, and is faster for it. When the entries form
 * one run (as every server sends them), the page-level fields are looked up only before and
 * after it, so a page of 1,000 keys is not searched end to end for each of them.
 */
export function parseListPage(xml: string, context: ErrorContext): ListPage {
  const notXml = (): FusioError =>
    new FusioError("Remote", "the list response is not XML", { ...context, retryable: true });
  const root = /<([A-Za-z_][^\s/>]*)/.exec(xml)?.[1];
  if (root === undefined) throw notXml();
  if (root !== "ListBucketResult") throw new FusioError("Remote", `unexpected list response <${root}>`, context);
  // A page cut short would read as a last page with fewer entries.
  if (!xml.trimEnd().endsWith("</ListBucketResult>")) throw notXml();
  const length = xml.length;
  // The page outside the run of entries: [0, head) and [tail, length); all of it when unknown.
  let head = length;
  let tail = length;
  /** The text of the page-level leaf `tag`, looked up outside the entries. */
  const find = (tag: string): string | undefined => {
    let at = xml.lastIndexOf(tag, head);
    if (at < 0) at = xml.indexOf(tag, tail);
    return at < 0 ? undefined : leaf(xml, tag, at, length);
  };
  const objects: ListedObject[] = [];
  const prefixes: string[] = [];
  const first = xml.indexOf("<Contents>");
  const end = first < 0 ? -1 : scanEntries(xml, first, objects);
  if (end >= 0) {
    head = first;
    tail = end;
  }
  const urlEncoded = find("<EncodingType>") === "url";
  const decode = (value = ""): string => (urlEncoded ? decodeURIComponent(value.replace(/\+/g, " ")) : value);
  if (end >= 0) {
    if (urlEncoded) for (const [i, object] of objects.entries()) objects[i] = { ...object, key: decode(object.key) };
  } else {
    objects.length = 0;
    for (let at = first, close = 0; at >= 0; at = xml.indexOf("<Contents>", close)) {
      close = xml.indexOf("</Contents>", at);
      if (close < 0) throw notXml();
      const modified = leaf(xml, "<LastModified>", at, close);
      objects.push({
        key: decode(leaf(xml, "<Key>", at, close)),
        size: Number(leaf(xml, "<Size>", at, close) ?? 0),
        etag: leaf(xml, "<ETag>", at, close),
        lastModified: modified ? new Date(modified) : undefined,
      });
    }
  }
  /** The common prefixes in [from, to). */
  const readPrefixes = (from: number, to: number): void => {
    for (let at = xml.indexOf("<CommonPrefixes>", from); at >= 0 && at < to; ) {
      const close = xml.indexOf("</CommonPrefixes>", at);
      if (close < 0) throw notXml();
      prefixes.push(decode(leaf(xml, "<Prefix>", at, close)));
      at = xml.indexOf("<CommonPrefixes>", close);
    }
  };
  // Before the entries (a backward look, bounded by the start, says whether any are there) and after them.
  if (xml.lastIndexOf("<CommonPrefixes>", head) >= 0) readPrefixes(0, head);
  readPrefixes(tail, length);
  const token = find("<NextContinuationToken>");
  return { objects, prefixes, nextToken: find("<IsTruncated>") === "true" && token ? token : undefined };
}
