import { type AbortSignalLike, type ErrorContext, FusioError } from "@fusio/core";
import { missingHeader } from "@fusio/http/answer";
import { discardBody } from "@fusio/http/body";
import { RESULT_BODY_LIMIT, readBoundedText } from "@fusio/http/bounded-body";
import { parseXml, xmlText } from "@fusio/http/xml";
import { escapeXml } from "@fusio/http/xml-text";
import type { S3Client } from "./client.ts";
import { errorIn200 } from "./errors.ts";
import { successBodyText } from "./success.ts";

/** The multipart calls of one upload. Each links its API reference. */
export class MultipartUpload {
  readonly #client: S3Client;
  readonly key: string;
  readonly uploadId: string;

  private constructor(client: S3Client, key: string, uploadId: string) {
    this.#client = client;
    this.key = key;
    this.uploadId = uploadId;
  }

  /**
   * [CreateMultipartUpload](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html).
   * Not idempotent (a repeat would leave a second upload open): retried only on answers.
   */
  static async create(
    client: S3Client,
    key: string,
    headers: Readonly<Record<string, string>>,
    context: ErrorContext,
    signal: AbortSignalLike | undefined,
  ): Promise<MultipartUpload> {
    const uploadId = await client.send(
      { method: "POST", key, query: { uploads: "" }, headers, idempotent: false, context, signal },
      async (response) => {
        const text = await readBoundedText(
          response.body,
          RESULT_BODY_LIMIT,
          "the CreateMultipartUpload answer",
          context,
        );
        const id = readXml(text, "UploadId");
        if (!id)
          throw errorIn200(text, context) ?? remoteFailure("CreateMultipartUpload returned no UploadId", context);
        return id;
      },
    );
    return new MultipartUpload(client, key, uploadId);
  }

  /** [UploadPart](https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html); resolves to the part's ETag. */
  uploadPart(number: number, data: Uint8Array, context: ErrorContext, signal: AbortSignalLike): Promise<string> {
    return this.#client.send(
      {
        method: "PUT",
        key: this.key,
        query: { partNumber: String(number), uploadId: this.uploadId },
        body: data,
        idempotent: true,
        context,
        signal,
      },
      async (response) => {
        await discardBody(response.body);
        const etag = response.headers.get("etag");
        if (!etag) throw missingHeader("ETag", "the UploadPart answer", context);
        return etag;
      },
    );
  }

  /**
   * [UploadPartCopy](https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html) of
   * bytes `[start, end]` of `sourceKey`, guarded by its ETag. Can fail inside a 200.
   */
  uploadPartCopy(
    number: number,
    sourceKey: string,
    range: readonly [number, number],
    etag: string,
    context: ErrorContext,
    signal: AbortSignalLike | undefined,
  ): Promise<string> {
    const headers: Record<string, string> = {
      "x-amz-copy-source": this.#client.copySource(sourceKey),
      "x-amz-copy-source-range": `bytes=${range[0]}-${range[1]}`,
      "x-amz-copy-source-if-match": etag,
    };
    return this.#client.send(
      {
        method: "PUT",
        key: this.key,
        query: { partNumber: String(number), uploadId: this.uploadId },
        headers,
        idempotent: true,
        context,
        signal,
      },
      async (response) => {
        const partEtag = readXml(await successBodyText(response, "CopyPartResult", context), "ETag");
        if (!partEtag) throw remoteFailure("UploadPartCopy returned no ETag", context);
        return partEtag;
      },
    );
  }

  /**
   * [CompleteMultipartUpload](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
   * A 200 can still carry an `<Error>`: that is a failure, and retryable when the code says so.
   * A 200 whose body is not a well-formed `CompleteMultipartUploadResult` is a failure too.
   */
  async complete(
    etags: readonly string[],
    context: ErrorContext,
    signal: AbortSignalLike | undefined,
    copiedFrom?: { readonly key: string; readonly etag: string },
  ): Promise<void> {
    // RGW Pacific ignores every ETag guard on UploadPartCopy (see `S3Compat.copyIfMatchHeader`):
    // make sure the source of the copied parts did not change while they were copied.
    if (copiedFrom && this.#client.compat.copyIfMatchHeader) {
      const now = await this.#client.head(copiedFrom.key, context, signal);
      if (now?.etag !== copiedFrom.etag) {
        throw new FusioError("PreconditionFailed", "the copied object changed while it was copied", context);
      }
    }
    const parts = etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
      .join("");
    const body = new TextEncoder().encode(`<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`);
    await this.#client.send(
      {
        method: "POST",
        key: this.key,
        query: { uploadId: this.uploadId },
        headers: { "content-type": "application/xml" },
        body,
        idempotent: true,
        context,
        signal,
      },
      async (response) => {
        await successBodyText(response, "CompleteMultipartUploadResult", context);
      },
    );
  }

  /**
   * [AbortMultipartUpload](https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
   * Runs without the caller's signal: cleaning up must not be cancelled by the abort that caused it.
   */
  async abort(context: ErrorContext): Promise<void> {
    await this.#client.send(
      {
        method: "DELETE",
        key: this.key,
        query: { uploadId: this.uploadId },
        idempotent: true,
        context: { ...context, op: `${context.op} (abort upload)` },
        accept: [404],
      },
      (response) => discardBody(response.body),
    );
  }
}

function readXml(text: string, name: string): string | undefined {
  try {
    return xmlText(parseXml(text), name);
  } catch {
    return undefined;
  }
}

function remoteFailure(message: string, context: ErrorContext): FusioError {
  return new FusioError("Remote", message, { ...context, retryable: true });
}

/**
 * Copies bytes `[0, end)` of `source` into `upload` as parts 1, 2, ... of `step` bytes (the
 * last one shorter), each guarded by `etag`, at most `concurrency` at once. Once one fails no
 * further part starts, and it rejects when those in flight have settled; the caller aborts the
 * upload.
 */
export async function copyRanges(
  upload: MultipartUpload,
  source: string,
  etag: string,
  end: number,
  step: number,
  concurrency: number,
  context: ErrorContext,
  signal: AbortSignalLike | undefined,
): Promise<string[]> {
  const count = Math.ceil(end / step);
  const etags: string[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const copy = async (): Promise<void> => {
    while (next < count && failure === undefined) {
      const index = next++;
      const range = [index * step, Math.min(end, (index + 1) * step) - 1] as const;
      try {
        etags[index] = await upload.uploadPartCopy(index + 1, source, range, etag, context, signal);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, copy));
  if (failure !== undefined) throw failure.error;
  return etags;
}
