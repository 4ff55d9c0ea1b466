// Copy Blob: https://learn.microsoft.com/rest/api/storageservices/copy-blob
import { type AbortSignalLike, type ErrorContext, FusioError } from "@fusio/core";
import { sleep } from "@fusio/http/retry";
import type { BlobClient } from "./client.ts";

/**
 * `AzureBlobFs.copy`: Copy Blob from `sourceName` to `targetName`, waiting for an asynchronous
 * copy to finish: polled with growing pauses (up to 2 s) for at most the client's `timeout`
 * (none when it is 0; the signal stops it either way), then `Timeout` (the copy may still
 * finish on the service).
 */
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
  const timeout = client.config.timeout;
  const deadline = timeout > 0 ? Date.now() + timeout : Number.POSITIVE_INFINITY;
  for (let attempt = 1; status === "pending"; attempt++) {
    const pause = Math.min(2000, 50 * 2 ** attempt);
    if (Date.now() + pause > deadline) {
      throw new FusioError("Timeout", `the copy is still pending after ${timeout} ms`, context);
    }
    await sleep(pause, signal, context);
    const head = await client.call(
      { method: "HEAD", key: targetName },
      { op: "copy", path: targetName, signal, idempotent: true },
    );
    if (copyId !== null && head.headers.get("x-ms-copy-id") !== copyId) break;
    status = head.headers.get("x-ms-copy-status");
  }
  if (status !== null && status !== "success" && status !== "pending") {
    throw new FusioError("Remote", `the copy ended as ${status.slice(0, 40)}`, context);
  }
}
