import { FusioError } from "@fusio/core";

/** Azurite's well-known development account. */
export const DEVELOPMENT_ACCOUNT = "devstoreaccount1";
/** Azurite's well-known development key (public, documented by Microsoft). */
export const DEVELOPMENT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** What a storage connection string says about the Blob service. */
export interface ParsedConnectionString {
  /** The account name (from `AccountName`, or the last path segment of a path-style endpoint). */
  readonly account: string;
  /** The Blob endpoint, without a trailing slash, e.g. `https://acct.blob.core.windows.net`. */
  readonly endpoint: string;
  readonly accountKey?: string | undefined;
  /** A SAS token without the leading `?`. */
  readonly sasToken?: string | undefined;
}

/**
 * Parses an Azure Storage connection string: `AccountName`/`AccountKey` with
 * `DefaultEndpointsProtocol`/`EndpointSuffix` or `BlobEndpoint`, `SharedAccessSignature`, and
 * `UseDevelopmentStorage=true` (Azurite on `127.0.0.1:10000`, or `DevelopmentStorageProxyUri`).
 * Neither a key nor a SAS means anonymous access (public containers).
 * @throws FusioError `InvalidArgument` when it names no account or endpoint (the message never
 *   repeats the string, which holds secrets).
 */
export function parseConnectionString(connectionString: string): ParsedConnectionString {
  const fail = (message: string): never => {
    throw new FusioError("InvalidArgument", `connection string: ${message}`, {
      op: "connection string",
      backend: "azure",
    });
  };
  const fields = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const trimmed = part.trim();
    if (trimmed === "") continue;
    const equals = trimmed.indexOf("=");
    if (equals <= 0) fail("expected Key=Value pairs separated by ';'");
    fields.set(trimmed.slice(0, equals).trim().toLowerCase(), trimmed.slice(equals + 1).trim());
  }
  const get = (name: string): string | undefined => {
    const value = fields.get(name.toLowerCase());
    return value === "" ? undefined : value;
  };

  if (get("UseDevelopmentStorage")?.toLowerCase() === "true") {
    const proxy = get("DevelopmentStorageProxyUri");
    const base = proxy === undefined ? "http://127.0.0.1:10000" : proxy.replace(/\/+$/, "");
    return { account: DEVELOPMENT_ACCOUNT, endpoint: `${base}/${DEVELOPMENT_ACCOUNT}`, accountKey: DEVELOPMENT_KEY };
  }

  const accountKey = get("AccountKey");
  const sas = get("SharedAccessSignature")?.replace(/^\?/, "");
  let endpoint = get("BlobEndpoint")?.replace(/\/+$/, "");
  let account = get("AccountName");
  if (endpoint === undefined) {
    if (account === undefined) fail("AccountName or BlobEndpoint is required");
    const protocol = get("DefaultEndpointsProtocol") ?? "https";
    const suffix = get("EndpointSuffix") ?? "core.windows.net";
    endpoint = `${protocol}://${account}.blob.${suffix}`;
  }
  if (account === undefined) {
    let url: URL;
    try {
      url = new URL(endpoint as string);
    } catch {
      return fail("BlobEndpoint is not a URL");
    }
    const segments = url.pathname.split("/").filter((segment) => segment !== "");
    account = segments.length > 0 ? segments[segments.length - 1] : url.hostname.split(".")[0];
  }
  return { account: account as string, endpoint: endpoint as string, accountKey, sasToken: sas };
}
