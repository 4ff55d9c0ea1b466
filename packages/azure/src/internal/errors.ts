import type { ErrorContext, ErrorKind, FusioError, HttpResponse } from "@fusio/core";
import { parseRetryAfter, remoteError } from "@fusio/http";
import { errorBodyText } from "@fusio/http/bounded-body";
import { scanText } from "./xml-scan.ts";

/** How one Azure error maps to a kind, and whether repeating the request may help. */
interface Mapping {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
}

// Azure's error codes (x-ms-error-code, or <Code> in the XML body) take precedence over the
// status: https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes
const CODES: Readonly<Partial<Record<ErrorKind, readonly string[]>>> = {
  NotFound: ["BlobNotFound", "ContainerNotFound", "ResourceNotFound", "CannotVerifyCopySource"],
  // Azure answers a Put Blob with If-None-Match: * on an existing blob with 409 BlobAlreadyExists, not 412.
  PreconditionFailed: ["BlobAlreadyExists", "ConditionNotMet", "SourceConditionNotMet", "TargetConditionNotMet"],
  UnexpectedEof: ["InvalidRange"],
  PermissionDenied: [
    "AuthenticationFailed",
    "AuthorizationFailure",
    "AuthorizationPermissionMismatch",
    "AuthorizationResourceTypeMismatch",
    "InsufficientAccountPermissions",
    "AccountIsDisabled",
    "LeaseIdMissing",
    "BlobImmutableDueToPolicy",
  ],
  InvalidPath: ["InvalidResourceName", "InvalidUri"],
  InvalidArgument: ["InvalidMetadata", "InvalidHeaderValue"],
  Remote: ["InvalidBlockList", "InternalError"],
  RateLimited: ["ServerBusy"],
  Timeout: ["OperationTimedOut"],
  Unsupported: ["APINotImplemented", "FeatureNotSupported", "UnsupportedHeader"],
};
/** The codes worth repeating the request for. */
const RETRYABLE_CODES = ["ServerBusy", "OperationTimedOut", "InternalError"];

// Without a known code, the status decides.
const STATUSES: Readonly<Record<number, ErrorKind>> = {
  400: "InvalidArgument",
  401: "PermissionDenied",
  403: "PermissionDenied",
  404: "NotFound",
  408: "Timeout",
  409: "AlreadyExists",
  412: "PreconditionFailed",
  416: "UnexpectedEof",
  429: "RateLimited",
  501: "Unsupported",
  504: "Timeout",
};
const RETRYABLE_STATUSES = [408, 429, 500, 502, 503, 504];

/** The kind for an Azure error response: the error code when known, else the status. */
export function errorMapping(status: number, code: string | undefined): Mapping {
  if (code !== undefined) {
    for (const [kind, codes] of Object.entries(CODES)) {
      if (codes.includes(code)) return { kind: kind as ErrorKind, retryable: RETRYABLE_CODES.includes(code) };
    }
  }
  return { kind: STATUSES[status] ?? "Remote", retryable: RETRYABLE_STATUSES.includes(status) };
}

/**
 * The `FusioError` for an Azure error response. `body` is the response text (empty for HEAD);
 * the code comes from `x-ms-error-code`, else from the XML `<Code>`. The message never holds
 * the request's URL (which may carry a SAS token) or its signature, and keeps only a short
 * excerpt of what the server wrote.
 */
export function azureError(
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  context: ErrorContext,
): FusioError {
  let code = headers.get("x-ms-error-code") ?? undefined;
  let message: string | undefined;
  // An <Error> document has one Code and one Message; a body that is not XML has neither.
  if (body.trimStart().startsWith("<")) {
    try {
      code ??= scanText(body, "Code");
      // Azure appends RequestId and Time to the message: keep its first line.
      message = scanText(body, "Message")?.split("\n")[0];
    } catch {
      // An element with a bad escape is as good as none: the status still says what went wrong.
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

/**
 * {@link azureError} for an error response, from at most the first few KiB of its body (an
 * Azure `<Error>` document is a few hundred bytes; a HEAD answer has none).
 */
export async function responseError(response: HttpResponse, context: ErrorContext): Promise<FusioError> {
  return azureError(response.status, response.headers, await errorBodyText(response.body), context);
}
