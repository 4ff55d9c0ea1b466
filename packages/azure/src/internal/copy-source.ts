// How the service itself reads a blob of this container: the source of Copy Blob and of
// Put Block From URL (an append's splice).
import type { AbortSignalLike } from "@fusio/core";
import { blobSas } from "../sas.ts";
import type { BlobClient } from "./client.ts";

/**
 * The query text and headers that let the service read `blob`: a short read-only SAS under
 * Shared Key, the SAS itself, or the bearer token.
 */
async function sourceAccess(
  client: BlobClient,
  blob: string,
  signal?: AbortSignalLike,
): Promise<{ query: string; headers: Record<string, string> }> {
  const { authorizer: auth, account, container } = client.config;
  if (auth.token !== undefined) {
    return { query: "", headers: { "x-ms-copy-source-authorization": `Bearer ${await auth.token(signal)}` } };
  }
  if (auth.key === undefined) return { query: auth.sas ?? "", headers: {} };
  const now = Date.now();
  const query = await blobSas(auth.key, {
    account,
    container,
    blob,
    permissions: "r",
    startsOn: new Date(now - 5 * 60_000),
    expiresOn: new Date(now + 60 * 60_000),
  });
  return { query, headers: {} };
}

/** The blob's URL with what lets the service read it (a copy source). */
export async function sourceUrl(
  client: BlobClient,
  blob: string,
  signal?: AbortSignalLike,
): Promise<{ url: string; headers: Record<string, string> }> {
  const access = await sourceAccess(client, blob, signal);
  const url = client.origin + client.path(blob);
  return { url: access.query === "" ? url : `${url}?${access.query}`, headers: access.headers };
}
