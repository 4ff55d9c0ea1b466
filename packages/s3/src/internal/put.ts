import type { AbortSignalLike, ErrorContext } from "@fusio/core";
import { discardBody } from "@fusio/http/body";
import type { S3Client } from "./client.ts";

/** Options of {@link putObject}. */
export interface PutOptions {
  headers?: Readonly<Record<string, string>> | undefined;
  context: ErrorContext;
  signal: AbortSignalLike | undefined;
}

/**
 * [PutObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html) of a whole
 * object; resolves to its ETag. Idempotent unless conditional: a conditional PUT is repeated only
 * when the server answered (a repeat after an unseen success would fail its own condition).
 */
export function putObject(client: S3Client, key: string, body: Uint8Array, options: PutOptions): Promise<string> {
  const headers = options.headers ?? {};
  const conditional = "if-match" in headers || "if-none-match" in headers;
  return client.send(
    {
      method: "PUT",
      key,
      headers,
      body,
      idempotent: !conditional,
      context: options.context,
      signal: options.signal,
    },
    async (response) => {
      await discardBody(response.body);
      return response.headers.get("etag") ?? "";
    },
  );
}
