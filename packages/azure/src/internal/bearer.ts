// Bearer tokens (Microsoft Entra ID), loaded at the first request of an AzureBlobFs that uses one.
import { type AbortSignalLike, FusioError } from "@fusio/core";
import type { AccessToken, TokenCredential } from "../credential.ts";

const STORAGE_SCOPE = "https://storage.azure.com/.default";
/** Tokens are renewed this long before they expire. */
const REFRESH_MARGIN_MS = 2 * 60_000;

const denied = (message: string, cause?: unknown): FusioError =>
  new FusioError("PermissionDenied", message, { op: "credential", backend: "azure", cause });

/**
 * The current token of `credential`: cached, and renewed before it expires; concurrent requests
 * share one renewal.
 */
export function tokenCache(credential: TokenCredential): (signal?: AbortSignalLike) => Promise<string> {
  let cached: AccessToken | undefined;
  let renewal: Promise<AccessToken> | undefined;
  const token = async (signal?: AbortSignalLike): Promise<string> => {
    const held = cached;
    if (held !== undefined && held.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS) return held.token;
    renewal ??= credential
      .getToken(STORAGE_SCOPE, { abortSignal: signal })
      .then((fresh) => {
        if (fresh === null || typeof fresh.token !== "string") throw denied("the token provider returned no token");
        cached = fresh;
        return fresh;
      })
      .finally(() => {
        renewal = undefined;
      });
    try {
      return (await renewal).token;
    } catch (error) {
      // A failed renewal of a token that is still valid is not fatal yet.
      if (held !== undefined && held.expiresOnTimestamp > Date.now()) return held.token;
      throw FusioError.is(error) ? error : denied("the token provider failed", error);
    }
  };
  return token;
}
