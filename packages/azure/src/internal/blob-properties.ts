/** Properties a blob keeps across an append (Put Block List replaces them unless resent). */
export interface BlobProperties {
  readonly contentType?: string | undefined;
  readonly cacheControl?: string | undefined;
  readonly contentEncoding?: string | undefined;
  readonly contentLanguage?: string | undefined;
  readonly contentDisposition?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** The blob an append continues: its size, ETag (the splice is guarded by it) and properties. */
export interface ExistingBlob extends BlobProperties {
  readonly size: number;
  readonly etag: string;
}

/** The headers that set a blob's properties and metadata on Put Blob / Put Block List. */
export function propertyHeaders(properties: BlobProperties | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (properties === undefined) return headers;
  if (properties.contentType !== undefined) headers["x-ms-blob-content-type"] = properties.contentType;
  if (properties.cacheControl !== undefined) headers["x-ms-blob-cache-control"] = properties.cacheControl;
  if (properties.contentEncoding !== undefined) headers["x-ms-blob-content-encoding"] = properties.contentEncoding;
  if (properties.contentLanguage !== undefined) headers["x-ms-blob-content-language"] = properties.contentLanguage;
  if (properties.contentDisposition !== undefined) {
    headers["x-ms-blob-content-disposition"] = properties.contentDisposition;
  }
  for (const [name, value] of Object.entries(properties.metadata ?? {})) headers[`x-ms-meta-${name}`] = value;
  return headers;
}
