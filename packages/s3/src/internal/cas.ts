// The conditional-write pair of `S3Fs` (`loadWithTag`, `putConditional`), loaded at its first use.
import type { AbortSignalLike, CasCondition, ErrorContext, PutConditionalOptions } from "@fusio/core";
import { collectBody, collectExactly } from "@fusio/http";
import { parseLength } from "@fusio/http/answer";
import { discardBody } from "@fusio/http/body";
import type { S3Client } from "./client.ts";
import { ifMatchValue } from "./headers.ts";

/** GET of the whole object with its ETag; undefined when missing. */
export function loadWithTag(
  client: S3Client,
  key: string,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<{ data: Uint8Array; tag: string } | undefined> {
  return client.send({ method: "GET", key, idempotent: true, context, signal, accept: [404] }, async (response) => {
    if (response.status === 404) {
      await discardBody(response.body);
      return undefined;
    }
    const declared = response.headers.get("content-length");
    const data =
      declared === null
        ? await collectBody(response.body)
        : await collectExactly(response.body, parseLength(declared, "Content-Length", context), context);
    return { data, tag: response.headers.get("etag") ?? "" };
  });
}

/**
 * PUT with `If-None-Match: *` or `If-Match: <tag>`
 * ([conditional writes](https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html));
 * resolves to the new ETag.
 */
export async function putConditional(
  client: S3Client,
  key: string,
  data: Uint8Array,
  when: CasCondition,
  options: PutConditionalOptions,
  context: ErrorContext,
): Promise<string> {
  const headers: Record<string, string> =
    "ifNotExists" in when ? { "if-none-match": "*" } : { "if-match": ifMatchValue(client, when.ifMatch) };
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    headers[`x-amz-meta-${name.toLowerCase()}`] = value;
  }
  const tag = await client.put(key, data, { headers, context, signal: options.signal });
  if (tag !== "") return tag;
  // Some servers omit the ETag of a conditional PUT: read it back.
  return (await client.head(key, context, options.signal))?.etag ?? "";
}
