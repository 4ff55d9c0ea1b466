import type { S3Credentials } from "./signer.ts";

/** Returns credentials; called again when the last ones are about to expire. */
export type CredentialsProvider = () => S3Credentials | Promise<S3Credentials>;

/** Refresh this long before `expiration`, so no request is signed with credentials about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Wraps a provider so that its credentials are cached until shortly before they expire, and
 * concurrent callers share one refresh. The result is itself a provider: it returns cached (and
 * static) credentials as they are, without a promise, and a promise only while a refresh runs.
 */
export function cachedCredentials(source: S3Credentials | CredentialsProvider): CredentialsProvider {
  if (typeof source !== "function") return () => source;
  let current: S3Credentials | undefined;
  let pending: Promise<S3Credentials> | undefined;
  return () => {
    if (current !== undefined && !expiresSoon(current)) return current;
    pending ??= Promise.resolve()
      .then(source)
      .then(
        (fresh) => {
          current = fresh;
          pending = undefined;
          return fresh;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
    return pending;
  };
}

function expiresSoon(credentials: S3Credentials): boolean {
  return credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS;
}
