import type { AbortSignalLike } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { blobSas, decodeAccountKey, signSharedKey } from "./shared-key.ts";

/** Shared Key: the storage account key (base64), as shown in the portal. */
export interface SharedKeyCredential {
  readonly accountKey: string;
}

/** A SAS token (account or container SAS), with or without the leading `?`. */
export interface SasCredential {
  readonly sasToken: string;
}

/** An OAuth access token and when it expires (ms since the epoch), as `@azure/identity` returns it. */
export interface AccessToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
}

/**
 * A bearer-token provider (Microsoft Entra ID). Any `@azure/identity` credential fits. fusio
 * asks for the scope `https://storage.azure.com/.default` and asks again shortly before the
 * token expires.
 */
export interface TokenCredential {
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignalLike | undefined },
  ): Promise<AccessToken | null>;
}

/** No authorization: public containers only. */
export interface AnonymousCredential {
  readonly anonymous: true;
}

/** How {@link AzureBlobFs} authorizes its requests. */
export type AzureCredential = SharedKeyCredential | SasCredential | TokenCredential | AnonymousCredential;

/** A request being authorized: the authorizer adds headers and may add query text. */
export interface AuthorizeTarget {
  readonly method: string;
  /** The URL path as sent (percent-encoded). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>> | undefined;
  /** Lower-case names; the authorizer adds `authorization`. */
  readonly headers: Record<string, string>;
  readonly contentLength: number;
  readonly signal?: AbortSignalLike | undefined;
}

/** @internal How the client applies one credential to each request. */
export interface Authorizer {
  /** Adds authorization headers; resolves to extra query text (e.g. a SAS) or "". */
  authorize(target: AuthorizeTarget): string | Promise<string>;
  /**
   * The query text and headers that let the service read `blob` of `container` as the source of
   * Copy Blob / Put Block From URL.
   */
  sourceAccess(
    container: string,
    blob: string,
    signal?: AbortSignalLike,
  ): Promise<{ query: string; headers: Record<string, string> }>;
}

const STORAGE_SCOPE = "https://storage.azure.com/.default";
/** Tokens are renewed this long before they expire. */
const REFRESH_MARGIN_MS = 2 * 60_000;

/** @internal Builds the {@link Authorizer} for a credential. */
export function authorizer(account: string, credential: AzureCredential): Authorizer {
  if (typeof credential !== "object" || credential === null) {
    throw new FusioError("InvalidArgument", "credential must be an object", { op: "credential", backend: "azure" });
  }
  if ("accountKey" in credential) return sharedKeyAuthorizer(account, decodeAccountKey(credential.accountKey));
  if ("sasToken" in credential) {
    const sas = credential.sasToken.replace(/^\?/, "");
    return {
      authorize: () => sas,
      sourceAccess: async () => ({ query: sas, headers: {} }),
    };
  }
  if ("getToken" in credential && typeof credential.getToken === "function") return new BearerAuthorizer(credential);
  if ("anonymous" in credential && credential.anonymous === true) {
    return { authorize: () => "", sourceAccess: async () => ({ query: "", headers: {} }) };
  }
  throw new FusioError("InvalidArgument", "credential must have accountKey, sasToken, getToken or anonymous", {
    op: "credential",
    backend: "azure",
  });
}

function sharedKeyAuthorizer(account: string, key: Uint8Array): Authorizer {
  return {
    authorize(target) {
      const value = signSharedKey(account, key, target);
      if (typeof value === "string") {
        target.headers.authorization = value;
        return "";
      }
      return value.then((authorization) => {
        target.headers.authorization = authorization;
        return "";
      });
    },
    async sourceAccess(container, blob) {
      // Put Block From URL needs the source readable by URL: a short read-only SAS on it.
      const now = Date.now();
      const query = await blobSas(key, {
        account,
        container,
        blob,
        permissions: "r",
        startsOn: new Date(now - 5 * 60_000),
        expiresOn: new Date(now + 60 * 60_000),
      });
      return { query, headers: {} };
    },
  };
}

/** Caches the token and renews it before it expires; concurrent requests share one renewal. */
class BearerAuthorizer implements Authorizer {
  readonly #credential: TokenCredential;
  #token: AccessToken | undefined;
  #renewal: Promise<AccessToken> | undefined;

  constructor(credential: TokenCredential) {
    this.#credential = credential;
  }

  async #current(signal: AbortSignalLike | undefined): Promise<string> {
    const token = this.#token;
    const now = Date.now();
    if (token !== undefined && token.expiresOnTimestamp - now > REFRESH_MARGIN_MS) return token.token;
    this.#renewal ??= this.#credential
      .getToken(STORAGE_SCOPE, { abortSignal: signal })
      .then((fresh) => {
        if (fresh === null || typeof fresh.token !== "string") {
          throw new FusioError("PermissionDenied", "the token provider returned no token", {
            op: "credential",
            backend: "azure",
          });
        }
        this.#token = fresh;
        return fresh;
      })
      .finally(() => {
        this.#renewal = undefined;
      });
    try {
      return (await this.#renewal).token;
    } catch (error) {
      // A failed renewal of a token that is still valid is not fatal yet.
      if (token !== undefined && token.expiresOnTimestamp > Date.now()) return token.token;
      if (FusioError.is(error)) throw error;
      throw new FusioError("PermissionDenied", "the token provider failed", {
        op: "credential",
        backend: "azure",
        cause: error,
      });
    }
  }

  async authorize(target: AuthorizeTarget): Promise<string> {
    target.headers.authorization = `Bearer ${await this.#current(target.signal)}`;
    return "";
  }

  async sourceAccess(
    _container: string,
    _blob: string,
    signal?: AbortSignalLike,
  ): Promise<{ query: string; headers: Record<string, string> }> {
    return { query: "", headers: { "x-ms-copy-source-authorization": `Bearer ${await this.#current(signal)}` } };
  }
}
