import type { ErrorContext, ErrorKind, FusioError } from "@fusio/core";
import { parseRetryAfter, remoteError } from "@fusio/http";
import { parseXml, xmlText } from "@fusio/http/xml";

/** How one Azure error maps to a kind, and whether repeating the request may help. */
interface Mapping {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
}

// Azure's error codes (x-ms-error-code, or <Code> in the XML body) take precedence over the
// status: https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes
const BY_CODE: Readonly<Record<string, Mapping>> = {
  BlobNotFound: { kind: "NotFound", retryable: false },
  ContainerNotFound: { kind: "NotFound", retryable: false },
  ResourceNotFound: { kind: "NotFound", retryable: false },
  CannotVerifyCopySource: { kind: "NotFound", retryable: false },
  // Azure answers a Put Blob with If-None-Match: * on an existing blob with 409, not 412.
  BlobAlreadyExists: { kind: "PreconditionFailed", retryable: false },
  ConditionNotMet: { kind: "PreconditionFailed", retryable: false },
  SourceConditionNotMet: { kind: "PreconditionFailed", retryable: false },
  TargetConditionNotMet: { kind: "PreconditionFailed", retryable: false },
  InvalidRange: { kind: "UnexpectedEof", retryable: false },
  AuthenticationFailed: { kind: "PermissionDenied", retryable: false },
  AuthorizationFailure: { kind: "PermissionDenied", retryable: false },
  AuthorizationPermissionMismatch: { kind: "PermissionDenied", retryable: false },
  AuthorizationResourceTypeMismatch: { kind: "PermissionDenied", retryable: false },
  InsufficientAccountPermissions: { kind: "PermissionDenied", retryable: false },
  AccountIsDisabled: { kind: "PermissionDenied", retryable: false },
  LeaseIdMissing: { kind: "PermissionDenied", retryable: false },
  BlobImmutableDueToPolicy: { kind: "PermissionDenied", retryable: false },
  InvalidResourceName: { kind: "InvalidPath", retryable: false },
  InvalidUri: { kind: "InvalidPath", retryable: false },
  InvalidMetadata: { kind: "InvalidArgument", retryable: false },
  InvalidHeaderValue: { kind: "InvalidArgument", retryable: false },
  InvalidBlockList: { kind: "Remote", retryable: false },
  ServerBusy: { kind: "RateLimited", retryable: true },
  OperationTimedOut: { kind: "Timeout", retryable: true },
  InternalError: { kind: "Remote", retryable: true },
  APINotImplemented: { kind: "Unsupported", retryable: false },
  FeatureNotSupported: { kind: "Unsupported", retryable: false },
  UnsupportedHeader: { kind: "Unsupported", retryable: false },
};

function byStatus(status: number): Mapping {
  switch (status) {
    case 401:
    case 403:
      return { kind: "PermissionDenied", retryable: false };
    case 404:
      return { kind: "NotFound", retryable: false };
    case 409:
      return { kind: "AlreadyExists", retryable: false };
    case 412:
      return { kind: "PreconditionFailed", retryable: false };
    case 416:
      return { kind: "UnexpectedEof", retryable: false };
    case 429:
      return { kind: "RateLimited", retryable: true };
    case 408:
    case 504:
      return { kind: "Timeout", retryable: true };
    case 500:
    case 502:
    case 503:
      return { kind: "Remote", retryable: true };
    case 501:
      return { kind: "Unsupported", retryable: false };
    default:
      return { kind: status === 400 ? "InvalidArgument" : "Remote", retryable: false };
  }
}

/** The kind for an Azure error response: the error code when known, else the status. */
export function errorMapping(status: number, code: string | undefined): Mapping {
  return (code !== undefined && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined) ?? byStatus(status);
}

/**
 * The `FusioError` for an Azure error response. `body` is the response text (empty for HEAD);
 * the code comes from `x-ms-error-code`, else from the XML `<Code>`. The message never holds
 * the request's URL (which may carry a SAS token) or its signature.
 */
export function azureError(
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  context: ErrorContext,
): FusioError {
  let code = headers.get("x-ms-error-code") ?? undefined;
  let message: string | undefined;
  if (body.trimStart().startsWith("<")) {
    try {
      const root = parseXml(body);
      code ??= xmlText(root, "Code");
      // Azure appends RequestId and Time to the message: keep its first line.
      message = xmlText(root, "Message")?.split("\n")[0];
    } catch {
      // Not XML after all: the status and code are enough.
    }
  }
  const mapping = errorMapping(status, code);
  return remoteError(
    mapping.kind,
    {
      status,
      code,
      message,
      requestId: headers.get("x-ms-request-id") ?? undefined,
      retryAfterMs: parseRetryAfter(headers.get("retry-after")),
    },
    context,
    mapping.retryable,
  );
}
