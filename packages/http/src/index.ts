export { EXCERPT_LENGTH, excerpt, invalidAnswer, missingHeader, parseAnswer, parseLength } from "./answer.ts";
export { bodyText, concatBytes, discardBody, readBodyInto } from "./body.ts";
export {
  ERROR_BODY_LIMIT,
  errorBodyText,
  LIST_PAGE_LIMIT,
  RESULT_BODY_LIMIT,
  readBounded,
  readBoundedText,
} from "./bounded-body.ts";
export { collectBody, collectExactly } from "./collect.ts";
export { defaultHttpClient } from "./default-client.ts";
export { parseRetryAfter, type RemoteErrorDetails, remoteError } from "./errors.ts";
export { FetchHttpClient, type FetchHttpClientOptions } from "./fetch-client.ts";
export {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  type RetryOptions,
  type RetryPolicy,
  remoteDetails,
  retryPolicy,
  sleep,
  type WithRetryOptions,
  withRetry,
} from "./retry.ts";
export { BUN_FETCH_OPTIONS, DENO_FETCH_OPTIONS } from "./runtime-fetch-options.ts";
export { sanitizeError, stripUrls } from "./sanitize.ts";
export { type SendOptions, sendRequest } from "./send.ts";
export { decodeXmlText, escapeXml } from "./xml-text.ts";
