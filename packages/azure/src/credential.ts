import type { AbortSignalLike } from "@fusio/core";
import { FusioError } from "@fusio/core";
import { lazy } from "./internal/lazy.ts";
import { blobSas } from "./sas.ts";
import { decodeAccountKey, signSharedKey } from "./shared-key.ts";

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

/** @internal What lets the service itself read a blob: query text (a SAS, without `?`) and headers. */
export interface SourceAccess {
  readonly query: string;
  readonly headers: Record<string, string>;
}

/** @internal How the client applies one credential to each request. */
export interface Authorizer {
  /** Adds authorization headers; resolves to extra query text (e.g. a SAS) or "". */
  authorize(target: AuthorizeTarget): string | Promise<string>;
  /**
   * What lets the service read `blob` of `container` as the source of Copy Blob / Put Block From
   * URL: a short read-only SAS under Shared Key, the SAS itself, or the bearer token.
   */
  sourceAccess(container: string, blob: string, signal?: AbortSignalLike): Promise<SourceAccess>;
}

const NO_ACCESS: SourceAccess = { query: "", headers: {} };

/** Bearer tokens: their cache and renewal load with the first request that needs a token. */
const loadBearer = lazy(() => import("./internal/bearer.ts"));

/** @internal Builds the {@link Authorizer} for a credential. */
export function authorizer(account: string, credential: AzureCredential): Authorizer {
  const fail = (): never => {
    throw new FusioError("InvalidArgument", "credential must have accountKey, sasToken, getToken or anonymous", {
      op: "credential",
      backend: "azure",
    });
  };
  if (typeof credential !== "object" || credential === null) fail();
  if ("accountKey" in credential) {
    const key = decodeAccountKey(credential.accountKey);
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
  if ("sasToken" in credential) {
    const sas = credential.sasToken.replace(/^\?/, "");
    return { authorize: () => sas, sourceAccess: async () => ({ query: sas, headers: {} }) };
  }
  if ("getToken" in credential && typeof credential.getToken === "function") {
    const tokens = lazy(async () => (await loadBearer()).tokenCache(credential));
    const token = async (signal?: AbortSignalLike): Promise<string> => (await tokens())(signal);
    return {
      async authorize(target) {
        target.headers.authorization = `Bearer ${await token(target.signal)}`;
        return "";
      },
      sourceAccess: async (_container, _blob, signal) => ({
        query: "",
        headers: { "x-ms-copy-source-authorization": `Bearer ${await token(signal)}` },
      }),
    };
  }
  if ("anonymous" in credential && credential.anonymous === true) {
    return { authorize: () => "", sourceAccess: async () => NO_ACCESS };
  }
  return fail();
}
