// Copy Blob: https://learn.microsoft.com/rest/api/storageservices/copy-blob
import { type AbortSignalLike, type ErrorContext, FusioError } from "@fusio/core";
import { sleep } from "@fusio/http/retry";
import type { BlobClient } from "./client.ts";

/** `AzureBlobFs.copy`: Copy Blob from `sourceName` to `targetName`, waiting for an asynchronous copy to finish. */
export async function copyBlob(
  client: BlobClient,
  sourceName: string,
  targetName: string,
  signal: AbortSignalLike | undefined,
  context: ErrorContext,
): Promise<void> {
  const source = await client.sourceUrl(sourceName, signal);
  const response = await client.call(
    { method: "PUT", key: targetName, headers: { ...source.headers, "x-ms-copy-source": source.url } },
    { op: "copy", path: sourceName, signal, idempotent: true },
  );
  // Copy Blob may finish asynchronously (202 + x-ms-copy-status: pending): wait for it.
  let status = response.headers.get("x-ms-copy-status");
  const copyId = response.headers.get("x-ms-copy-id");
  for (let attempt = 1; status === "pending"; attempt++) {
    await sleep(Math.min(2000, 50 * 2 ** attempt), signal, context);
    const head = await client.call(
      { method: "HEAD", key: targetName },
      { op: "copy", path: targetName, signal, idempotent: true },
    );
    if (copyId !== null && head.headers.get("x-ms-copy-id") !== copyId) break;
    status = head.headers.get("x-ms-copy-status");
  }
  if (status !== null && status !== "success" && status !== "pending") {
    throw new FusioError("Remote", `the copy ended as ${status}`, context);
  }
}
