export { bodyText, concatBytes, discardBody, readBodyInto } from "./body.ts";
export { collectBody } from "./collect.ts";
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
export { sanitizeError, stripUrls } from "./sanitize.ts";
export { type SendOptions, sendRequest } from "./send.ts";
export { decodeXmlText, escapeXml } from "./xml-text.ts";
