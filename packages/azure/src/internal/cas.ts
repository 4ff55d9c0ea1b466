// Conditional writes (fusio's CasFs): Put Blob with If-None-Match: * or If-Match, ETags as tags.
import {
  type AbortSignalLike,
  type CasCondition,
  type ErrorContext,
  FusioError,
  type PutConditionalOptions,
} from "@fusio/core";
import { missingHeader } from "@fusio/http/answer";
import { propertyHeaders } from "./blob-properties.ts";
import type { BlobClient } from "./client.ts";
import { quoteEtag } from "./etag.ts";
import { readAll } from "./read.ts";

/**
 * `AzureBlobFs.loadWithTag`: the bytes and ETag of blob `name`, undefined when missing.
 * @throws FusioError `Remote` when the answer has no ETag (a tag is what the call is for).
 */
export async function loadWithTag(
  client: BlobClient,
  name: string,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  try {
    const { data, etag } = await readAll(
      client,
      { method: "GET", key: name },
      { op: "loadWithTag", path: name, signal, idempotent: true },
    );
    const tag = quoteEtag(etag);
    if (tag === undefined) throw missingHeader("ETag", "the answer", context);
    return { data, tag };
  } catch (error) {
    if (FusioError.is(error, "NotFound")) return undefined;
    throw error;
  }
}

/** `AzureBlobFs.putConditional` of blob `name` (arguments checked); resolves to the new ETag. */
export async function putConditional(
  client: BlobClient,
  name: string,
  data: Uint8Array,
  when: CasCondition,
  options: PutConditionalOptions,
  context: ErrorContext,
): Promise<string> {
  const headers: Record<string, string> = {
    ...propertyHeaders({ contentType: options.contentType, metadata: options.metadata }),
    "x-ms-blob-type": "BlockBlob",
  };
  if ("ifNotExists" in when) headers["if-none-match"] = "*";
  else headers["if-match"] = when.ifMatch;
  try {
    // Not idempotent: a lost answer to a successful write would be retried into a 412.
    const response = await client.call(
      { method: "PUT", key: name, headers, body: data },
      { op: "putConditional", path: name, signal: options.signal, idempotent: false },
    );
    const tag = quoteEtag(response.headers.get("etag"));
    if (tag === undefined) throw missingHeader("ETag", "the answer", context);
    return tag;
  } catch (error) {
    // If-Match on a missing blob: 404 on some services, 412 on others; both mean the condition failed.
    if (FusioError.is(error, "NotFound") && "ifMatch" in when) {
      throw new FusioError("PreconditionFailed", "the blob does not exist", { ...context, cause: error });
    }
    throw error;
  }
}
