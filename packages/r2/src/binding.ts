// The part of the Workers `R2Bucket` binding that R2BindingFs uses, declared structurally so the
// package needs no `@cloudflare/workers-types` at runtime: `env.BUCKET` from a Worker, or
// `await miniflare.getR2Bucket("BUCKET")` in Node, fits as it is.
// Reference: https://developers.cloudflare.com/r2/api/workers/workers-api-reference/

/** Conditions R2 checks before a get or put (`onlyIf`). Etags are given without quotes. */
export interface R2ConditionalLike {
  etagMatches?: string;
  etagDoesNotMatch?: string;
}

/** A byte range of a get. */
export type R2RangeLike = { offset: number; length?: number } | { suffix: number };

/** Content headers stored with an object. */
export interface R2HttpMetadataLike {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  cacheExpiry?: Date;
}

/** Metadata of a stored object (what `head`, `list` and a failed conditional `get` return). */
export interface R2ObjectLike {
  readonly key: string;
  readonly size: number;
  /** The entity tag without quotes. */
  readonly etag: string;
  readonly uploaded: Date;
  readonly httpMetadata?: R2HttpMetadataLike;
  readonly customMetadata?: Record<string, string>;
}

/** The part of a WHATWG `ReadableStream` of bytes that fusio reads. */
export interface R2BodyStreamLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
    cancel(reason?: unknown): Promise<void>;
    releaseLock(): void;
  };
  cancel(reason?: unknown): Promise<void>;
}

/** An object with its content. */
export interface R2ObjectBodyLike extends R2ObjectLike {
  readonly body: R2BodyStreamLike;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface R2GetOptionsLike {
  onlyIf?: R2ConditionalLike;
  range?: R2RangeLike;
}

export interface R2PutOptionsLike {
  onlyIf?: R2ConditionalLike;
  httpMetadata?: R2HttpMetadataLike;
  customMetadata?: Record<string, string>;
}

export interface R2MultipartOptionsLike {
  httpMetadata?: R2HttpMetadataLike;
  customMetadata?: Record<string, string>;
}

export interface R2UploadedPartLike {
  partNumber: number;
  etag: string;
}

export interface R2MultipartUploadLike {
  readonly key: string;
  readonly uploadId: string;
  uploadPart(partNumber: number, value: Uint8Array): Promise<R2UploadedPartLike>;
  abort(): Promise<void>;
  complete(parts: R2UploadedPartLike[]): Promise<R2ObjectLike>;
}

export interface R2ListOptionsLike {
  prefix?: string;
  delimiter?: string;
  cursor?: string;
  limit?: number;
}

export interface R2ObjectsLike {
  objects: R2ObjectLike[];
  delimitedPrefixes: string[];
  truncated: boolean;
  cursor?: string;
}

/**
 * The `R2Bucket` binding, as far as fusio uses it. A `get` whose `onlyIf` fails resolves to the
 * object's metadata without a body; a `put` whose `onlyIf` fails resolves to `null`.
 */
export interface R2BucketLike {
  head(key: string): Promise<R2ObjectLike | null>;
  get(key: string, options?: R2GetOptionsLike): Promise<R2ObjectBodyLike | R2ObjectLike | null>;
  put(key: string, value: Uint8Array | null, options?: R2PutOptionsLike): Promise<R2ObjectLike | null>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: R2ListOptionsLike): Promise<R2ObjectsLike>;
  createMultipartUpload(key: string, options?: R2MultipartOptionsLike): Promise<R2MultipartUploadLike>;
}
