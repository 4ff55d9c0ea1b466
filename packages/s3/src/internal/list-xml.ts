import { type ErrorContext, FusioError } from "@fusio/core";
import { parseXml, xmlChildren, xmlText } from "@fusio/http";

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
 * Reads a ListObjectsV2 response.
 * [ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
 */
export function parseListPage(xml: string, context: ErrorContext): ListPage {
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(xml);
  } catch (error) {
    throw new FusioError("Remote", "the list response is not XML", { ...context, retryable: true, cause: error });
  }
  if (root.name !== "ListBucketResult") {
    throw new FusioError("Remote", `unexpected list response <${root.name}>`, context);
  }
  const urlEncoded = xmlText(root, "EncodingType") === "url";
  const decode = (value: string): string => (urlEncoded ? decodeURIComponent(value.replace(/\+/g, " ")) : value);
  const objects = xmlChildren(root, "Contents").map((entry): ListedObject => {
    const modified = xmlText(entry, "LastModified");
    return {
      key: decode(xmlText(entry, "Key") ?? ""),
      size: Number(xmlText(entry, "Size") ?? 0),
      etag: xmlText(entry, "ETag"),
      lastModified: modified ? new Date(modified) : undefined,
    };
  });
  const prefixes = xmlChildren(root, "CommonPrefixes").map((entry) => decode(xmlText(entry, "Prefix") ?? ""));
  const truncated = xmlText(root, "IsTruncated") === "true";
  const token = xmlText(root, "NextContinuationToken");
  return { objects, prefixes, nextToken: truncated && token ? token : undefined };
}
