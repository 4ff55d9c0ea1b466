import { type AbortSignalLike, type ErrorContext, type ErrorKind, FusioError } from "@fusio/core";
import { parseRetryAfter, type RemoteErrorDetails, remoteError } from "@fusio/http";
import { discardBody } from "@fusio/http/body";
import { decodeXmlText } from "@fusio/http/xml-text";
import type { S3Client } from "./client.ts";

/** S3 error codes and the kind each maps to; `true` marks codes worth retrying. */
const CODES: Readonly<Record<string, readonly [ErrorKind, boolean]>> = {
  NoSuchKey: ["NotFound", false],
  NoSuchBucket: ["NotFound", false],
  NoSuchUpload: ["NotFound", false],
  NoSuchVersion: ["NotFound", false],
  AccessDenied: ["PermissionDenied", false],
  AllAccessDisabled: ["PermissionDenied", false],
  InvalidAccessKeyId: ["PermissionDenied", false],
  SignatureDoesNotMatch: ["PermissionDenied", false],
  ExpiredToken: ["PermissionDenied", false],
  InvalidToken: ["PermissionDenied", false],
  AccountProblem: ["PermissionDenied", false],
  InvalidObjectState: ["PermissionDenied", false],
  PreconditionFailed: ["PreconditionFailed", false],
  // A concurrent conditional write is in progress: repeating may succeed (or then fail 412).
  ConditionalRequestConflict: ["PreconditionFailed", true],
  InvalidRange: ["UnexpectedEof", false],
  SlowDown: ["RateLimited", true],
  ServiceUnavailable: ["RateLimited", true],
  Throttling: ["RateLimited", true],
  ThrottlingException: ["RateLimited", true],
  RequestLimitExceeded: ["RateLimited", true],
  TooManyRequests: ["RateLimited", true],
  RequestTimeout: ["Timeout", true],
  InternalError: ["Remote", true],
  OperationAborted: ["Remote", true],
  RequestTimeTooSkewed: ["PermissionDenied", false],
  NotImplemented: ["Unsupported", false],
  KeyTooLongError: ["InvalidPath", false],
  EntityTooSmall: ["InvalidArgument", false],
  EntityTooLarge: ["InvalidArgument", false],
  InvalidPart: ["InvalidArgument", false],
  InvalidPartOrder: ["InvalidArgument", false],
  InvalidArgument: ["InvalidArgument", false],
  InvalidRequest: ["InvalidArgument", false],
  MalformedXML: ["Remote", false],
  BucketAlreadyExists: ["AlreadyExists", false],
  BucketAlreadyOwnedByYou: ["AlreadyExists", false],
};

/** The kind for a status when the body names no known code (HEAD has no body). */
function kindOfStatus(status: number): readonly [ErrorKind, boolean] {
  if (status === 404) return ["NotFound", false];
  if (status === 401 || status === 403) return ["PermissionDenied", false];
  if (status === 412) return ["PreconditionFailed", false];
  if (status === 416) return ["UnexpectedEof", false];
  if (status === 408) return ["Timeout", true];
  if (status === 429 || status === 503) return ["RateLimited", true];
  if (status === 501) return ["Unsupported", false];
  if (status >= 500) return ["Remote", true];
  return ["Remote", false];
}

/**
 * Code, Message and RequestId of an S3 `<Error>` document, or undefined when `body` is not one.
 * The document is flat (text leaves under the root), so its leaves are looked up, not parsed
 * into a tree. A leaf whose text cannot be decoded (a character reference outside Unicode) is
 * left out: the status still tells the kind.
 */
export function parseErrorBody(body: string): { code?: string; message?: string; requestId?: string } | undefined {
  // The first element that is not a declaration, comment or processing instruction.
  if (/<([A-Za-z_][^\s/>]*)/.exec(body)?.[1] !== "Error") return undefined;
  const details: { code?: string; message?: string; requestId?: string } = {};
  const code = leaf(body, "Code");
  const message = leaf(body, "Message");
  const requestId = leaf(body, "RequestId");
  if (code) details.code = code;
  if (message) details.message = message;
  if (requestId) details.requestId = requestId;
  return details;
}

/** The decoded text of the first `<name>` leaf in `xml`; undefined when absent or undecodable. */
function leaf(xml: string, name: string): string | undefined {
  const value = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  if (value === undefined) return undefined;
  try {
    return decodeXmlText(value);
  } catch {
    return undefined;
  }
}

/**
 * Maps an S3 error response (status, headers, body text) to a `FusioError`. The XML `Code`
 * decides when known, else the status. Messages carry the code, message and request id, never
 * credentials or signatures.
 */
export function s3Error(
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  context: ErrorContext,
): FusioError {
  const parsed = parseErrorBody(body);
  const [kind, retryable] = (parsed?.code !== undefined ? CODES[parsed.code] : undefined) ?? kindOfStatus(status);
  const details: RemoteErrorDetails = {
    status,
    code: parsed?.code,
    message: parsed?.message,
    requestId: parsed?.requestId ?? headers.get("x-amz-request-id") ?? undefined,
    retryAfterMs: parseRetryAfter(headers.get("retry-after")),
  };
  return remoteError(kind, details, context, retryable);
}

/** A 200 response whose body is an `<Error>` (CopyObject, UploadPartCopy, CompleteMultipartUpload). */
export function errorIn200(body: string, context: ErrorContext): FusioError | undefined {
  const parsed = parseErrorBody(body);
  if (parsed === undefined) return undefined;
  // AWS documents these as "the request failed after the 200 was sent": treat as a 500.
  return s3Error(500, { get: () => null }, body, context);
}

/** Clients whose bucket a HeadBucket found: they need not ask again. */
const bucketsFound = new WeakSet<S3Client>();

/**
 * The error for a HEAD of an object that found nothing: `NotFound`, naming `NoSuchBucket` when the
 * bucket itself is missing. A HEAD's 404 has no body to tell, so a
 * [HeadBucket](https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html) asks, once per
 * client; any answer but 404 (e.g. 403 without ListBucket permission) counts as found.
 */
export async function noSuchObject(
  client: S3Client,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<FusioError> {
  if (!bucketsFound.has(client)) {
    const status = await client
      .send({ method: "HEAD", idempotent: true, context, signal, accept: [404] }, async (response) => {
        await discardBody(response.body);
        return response.status;
      })
      .catch((error: unknown) => (FusioError.is(error, "Aborted") ? Promise.reject(error) : 200));
    if (status === 404) {
      return new FusioError("NotFound", `NoSuchBucket: the bucket ${JSON.stringify(client.bucket)} does not exist`, {
        ...context,
        status: 404,
      });
    }
    bucketsFound.add(client);
  }
  return new FusioError("NotFound", "no such object", context);
}
