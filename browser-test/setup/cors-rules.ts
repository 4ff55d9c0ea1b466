// The CORS rules the browser tests put on the S3 bucket and the Azure account: exactly the rules
// packages/s3/README.md and packages/azure/README.md give users (keep them in step).

/** One CORS rule, in the terms both services use. */
export interface CorsRule {
  /** The page's origin; the tests allow any (`*`), an application names its own. */
  allowedOrigins: readonly string[];
  allowedMethods: readonly string[];
  /** Request headers the page may send; a trailing `*` allows a prefix. */
  allowedHeaders: readonly string[];
  /** Response headers the page may read. */
  exposedHeaders: readonly string[];
  /** How long the browser may keep a preflight answer. */
  maxAgeSeconds: number;
}

/** @fusio/s3 in a browser: the methods of reads, writes, multipart uploads, copies and deletes. */
export const S3_CORS: CorsRule = {
  allowedOrigins: ["*"],
  allowedMethods: ["GET", "HEAD", "PUT", "POST", "DELETE"],
  allowedHeaders: [
    "authorization",
    "range",
    "if-match",
    "if-none-match",
    "content-type",
    "content-md5",
    // An append or a multipart copy sends the object's own headers again (see the README).
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "x-amz-*",
  ],
  exposedHeaders: ["ETag", "Content-Range", "x-amz-request-id", "Retry-After"],
  maxAgeSeconds: 3600,
};

/** @fusio/azure in a browser: Azure Blob needs no POST. */
export const AZURE_CORS: CorsRule = {
  allowedOrigins: ["*"],
  allowedMethods: ["GET", "HEAD", "PUT", "DELETE"],
  allowedHeaders: ["authorization", "content-type", "range", "if-match", "if-none-match", "x-ms-*"],
  exposedHeaders: [
    "ETag",
    "Content-Range",
    "x-ms-request-id",
    "x-ms-error-code",
    "x-ms-copy-status",
    "x-ms-copy-id",
    "Retry-After",
  ],
  maxAgeSeconds: 3600,
};
