import { type ErrorContext, FusioError } from "@fusio/core";
import { invalidAnswer, parseAnswer, parseLength } from "@fusio/http/answer";
import { decodeXmlText } from "@fusio/http/xml-text";

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

/**
 * A `Contents` entry laid out the way S3 and the servers modelled on it (Ceph RGW, MinIO, R2)
 * send it: Key, LastModified, ETag, any checksum fields, then Size. Sticky: it matches at
 * `lastIndex` or not at all.
 */
const ENTRY =
  /<Contents><Key>([^<]*)<\/Key><LastModified>([^<]*)<\/LastModified><ETag>([^<]*)<\/ETag>(?:<(Checksum\w*)>[^<]*<\/\4>)*<Size>(\d+)<\/Size>/y;

/** Any of the four fields, for an entry laid out otherwise. */
const FIELD = /<(Key|LastModified|ETag|Size)>([^<]*)</g;

/** Decoded XML text; an ETag's `&quot;...&quot;` (nearly every one) without the general decoder. */
const text = (value: string): string =>
  /^&quot;[^&]*&quot;$/.test(value) ? `"${value.slice(6, -6)}"` : decodeXmlText(value);

/**
 * Reads a ListObjectsV2 response
 * ([ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)).
 * The document has a fixed shape (a `ListBucketResult` in the default namespace holding
 * `Contents` and `CommonPrefixes` entries whose fields are text leaves; `<` in text is always
 * escaped), so it is scanned rather than built into a tree: each `Contents` entry is read with
 * one match when laid out as S3 sends it (field by field otherwise), and the page-level fields
 * and common prefixes are looked up in what lies outside the entries, so a page of 1,000 keys is
 * not searched end to end for each of them.
 *
 * Every `Size` must be a length (else `Remote`); an unreadable `LastModified` is left out. Under
 * `EncodingType=url`, a malformed percent-escape rejects `Remote`, and a key (or prefix) whose
 * escapes are not UTF-8 is left out: decoded, it would name another key. A character reference
 * outside Unicode rejects `Remote` too: whatever the text, the result is a page or a `FusioError`.
 */
export function parseListPage(xml: string, context: ErrorContext): ListPage {
  return parseAnswer("the list page", context, () => scanListPage(xml, context));
}

function scanListPage(xml: string, context: ErrorContext): ListPage {
  const notXml = (): FusioError =>
    new FusioError("Remote", "the list response is not XML", { ...context, retryable: true });
  const root = /<([A-Za-z_][^\s/>]*)/.exec(xml)?.[1];
  if (root === undefined) throw notXml();
  if (root !== "ListBucketResult") throw new FusioError("Remote", `unexpected list response <${root}>`, context);
  // A page cut short would read as a last page with fewer entries.
  if (!xml.trimEnd().endsWith("</ListBucketResult>")) throw notXml();
  const objects: ListedObject[] = [];
  let outside = "";
  let from = 0;
  for (let at = xml.indexOf("<Contents>"); at >= 0; at = xml.indexOf("<Contents>", from)) {
    if (at > from) outside += xml.slice(from, at);
    ENTRY.lastIndex = at;
    let [, key, modified, etag, , size] = ENTRY.exec(xml) ?? [];
    // The entry ends after its last field: searched from there, the fields are not scanned twice.
    const close = xml.indexOf("</Contents>", key === undefined ? at : ENTRY.lastIndex);
    if (close < 0) throw notXml();
    from = close + "</Contents>".length;
    if (key === undefined) {
      const fields: Record<string, string> = {};
      for (const [, name, value] of xml.slice(at, from).matchAll(FIELD)) fields[name as string] = value as string;
      ({ Key: key = "", LastModified: modified, ETag: etag, Size: size } = fields);
    }
    const lastModified = modified ? new Date(modified) : undefined;
    objects.push({
      key: decodeXmlText(key),
      size: parseLength(size, "a listed Size", context),
      etag: etag === undefined ? undefined : text(etag),
      lastModified: lastModified && !Number.isNaN(lastModified.getTime()) ? lastModified : undefined,
    });
  }
  outside += xml.slice(from);
  /** The text of the page-level leaf `<name>`. */
  const leaf = (name: string): string | undefined => {
    const value = new RegExp(`<${name}>([^<]*)<`).exec(outside)?.[1];
    return value === undefined ? undefined : decodeXmlText(value);
  };
  const urlEncoded = leaf("EncodingType") === "url";
  const decode = (value: string): string | undefined => (urlEncoded ? urlDecode(value, context) : value);
  const keyed: ListedObject[] = [];
  for (const object of objects) {
    const key = decode(object.key);
    if (key !== undefined) keyed.push(urlEncoded ? { ...object, key } : object);
  }
  const prefixes: string[] = [];
  for (const match of outside.matchAll(/<CommonPrefixes>\s*<Prefix>([^<]*)</g)) {
    const prefix = decode(decodeXmlText(match[1] as string));
    if (prefix !== undefined) prefixes.push(prefix);
  }
  const token = leaf("NextContinuationToken");
  return { objects: keyed, prefixes, nextToken: leaf("IsTruncated") === "true" && token ? token : undefined };
}

/**
 * A key of an `EncodingType=url` page: `Remote` for a malformed escape, undefined for escapes
 * that are not UTF-8 (the key cannot be named by a string without becoming another key).
 */
function urlDecode(value: string, context: ErrorContext): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) throw invalidAnswer("a url-encoded key has a malformed escape", context);
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}
