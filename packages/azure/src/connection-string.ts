import { FusioError } from "@fusio/core";
import { AzureBlobFs, type AzureConnectionOptions } from "./azure-fs.ts";
import type { AzureCredential } from "./credential.ts";

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
  // Keys are case-insensitive (stored lower case); an empty value counts as absent.
  const fields = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const field = part.trim();
    const equals = field.indexOf("=");
    if (field !== "" && equals < 1) fail("expected Key=Value pairs separated by ';'");
    if (field !== "") fields.set(field.slice(0, equals).trim().toLowerCase(), field.slice(equals + 1).trim());
  }
  const get = (key: string): string | undefined => fields.get(key) || undefined;

  if (get("usedevelopmentstorage")?.toLowerCase() === "true") {
    const base = get("developmentstorageproxyuri")?.replace(/\/+$/, "") ?? "http://127.0.0.1:10000";
    return { account: DEVELOPMENT_ACCOUNT, endpoint: `${base}/${DEVELOPMENT_ACCOUNT}`, accountKey: DEVELOPMENT_KEY };
  }
  let account = get("accountname");
  let endpoint = get("blobendpoint")?.replace(/\/+$/, "");
  if (endpoint === undefined) {
    if (account === undefined) return fail("AccountName or BlobEndpoint is required");
    endpoint = `${get("defaultendpointsprotocol") ?? "https"}://${account}.blob.${get("endpointsuffix") ?? "core.windows.net"}`;
  }
  if (account === undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return fail("BlobEndpoint is not a URL");
    }
    // Path style (Azurite, emulators): the last path segment; else the host's first label.
    account = url.pathname.split("/").filter(Boolean).pop() ?? (url.hostname.split(".")[0] as string);
  }
  return {
    account,
    endpoint,
    accountKey: get("accountkey"),
    sasToken: get("sharedaccesssignature")?.replace(/^\?/, ""),
  };
}

/**
 * An AzureBlobFs from a storage connection string (`AccountName=...;AccountKey=...`,
 * `BlobEndpoint=...;SharedAccessSignature=...`, or `UseDevelopmentStorage=true` for Azurite).
 * A function rather than a static method of the class, so that programs which never use a
 * connection string don't carry its parser.
 * @throws FusioError `InvalidArgument` (see {@link parseConnectionString}).
 */
export function azureBlobFsFromConnectionString(
  connectionString: string,
  options: AzureConnectionOptions,
): AzureBlobFs {
  const { account, endpoint, accountKey, sasToken } = parseConnectionString(connectionString);
  const credential: AzureCredential =
    accountKey !== undefined ? { accountKey } : sasToken !== undefined ? { sasToken } : { anonymous: true };
  return new AzureBlobFs({ ...options, account, endpoint, credential });
}
