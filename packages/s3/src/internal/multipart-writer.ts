// The large-object path of S3File, loaded at its first use: multipart uploads through the
// shared part scheduler, and appends (the old object spliced in server-side with UploadPartCopy,
// or downloaded and re-uploaded). Small new objects never load this module.
import type { AbortSignalLike, ErrorContext, NormalizedOpenOptions, Path } from "@fusio/core";
import { FusioError, fileContext } from "@fusio/core";
import { PartScheduler } from "@fusio/http/part-scheduler";
import { MAX_COPY_PART, MIN_PART_SIZE } from "../options.ts";
import type { S3Client } from "./client.ts";
import type { ObjectHead } from "./head.ts";
import { ifMatchValue, preserved } from "./headers.ts";
import { copyRanges, MultipartUpload } from "./multipart.ts";
import { readToEnd } from "./read.ts";

/**
 * Bytes written by one `S3File` once they reach a part, or whenever the handle appends to an
 * existing object. Fixed-size parts, at most `concurrency` in flight; `close` publishes, and
 * `discard` aborts the multipart upload so none is left behind.
 */
export class Writer {
  readonly #client: S3Client;
  readonly #path: Path;
  readonly #key: string;
  /** The object as it was at open, when this handle keeps its bytes (append). */
  readonly #head: ObjectHead | undefined;
  readonly #scheduler: PartScheduler<string>;
  /** The old object's bytes from here on are re-uploaded; below it they are copied. */
  readonly #copiedEnd: number;
  /** The old object is spliced in server-side (it holds at least one whole copied part). */
  readonly #splice: boolean;
  #prefixLoaded = false;
  #upload: Promise<{ upload: MultipartUpload; copied: string[] }> | undefined;

  constructor(client: S3Client, path: Path, open: NormalizedOpenOptions, head: ObjectHead | undefined) {
    this.#client = client;
    this.#path = path;
    this.#key = path.raw;
    this.#head = open.append ? head : undefined;
    const equal = client.compat.equalParts;
    const size = this.#head?.size ?? 0;
    // Copied parts are 5 MiB to 5 GiB, or exactly `partSize` under `compat.equalParts` (the rest
    // of the old object is then re-uploaded with the new bytes).
    this.#splice = size >= (equal ? client.partSize : MIN_PART_SIZE);
    this.#copiedEnd = this.#splice ? (equal ? size - (size % client.partSize) : size) : 0;
    const context = this.#context("writeAll");
    const onProgress = client.onProgress;
    this.#scheduler = new PartScheduler<string>({
      partSize: client.partSize,
      concurrency: client.concurrency,
      context,
      uploadPart: async ({ number, data, signal }) => {
        const { upload, copied } = await this.#ensureUpload(undefined);
        return upload.uploadPart(copied.length + number, data, context, signal);
      },
      onProgress: onProgress && ((loaded) => onProgress({ loaded, path: this.#key })),
    });
  }

  #context(op: string): ErrorContext {
    return fileContext("s3", op, this.#path);
  }

  /** Buffers `data` (the old object's bytes that are not copied go first), starting full parts. */
  async write(data: Uint8Array, signal: AbortSignalLike | undefined): Promise<void> {
    const head = this.#head;
    if (!this.#prefixLoaded) {
      this.#prefixLoaded = true;
      if (head !== undefined && head.size > this.#copiedEnd) {
        const context = this.#context("writeAll");
        const prefix = await readToEnd(this.#client, this.#key, this.#copiedEnd, context, signal);
        if (prefix.length !== head.size - this.#copiedEnd) {
          throw new FusioError("PreconditionFailed", "the object changed since it was opened", context);
        }
        await this.#scheduler.write(prefix, signal);
      }
    }
    if (data.length > 0) await this.#scheduler.write(data, signal);
  }

  /** Uploads every full part written so far. */
  sync(signal: AbortSignalLike | undefined): Promise<void> {
    return this.#scheduler.drain(signal);
  }

  /** Publishes the object: one PUT when no part was needed, else completes the multipart upload. */
  async close(signal: AbortSignalLike | undefined): Promise<void> {
    const context = this.#context("close");
    await this.write(new Uint8Array(0), signal);
    const scheduler = this.#scheduler;
    if (!this.#splice && scheduler.partsStarted === 0) {
      const body = scheduler.takeBuffered();
      const head = this.#head;
      // A re-upload of a small append keeps the object's headers and must not race another
      // writer: it is guarded by the old ETag.
      const headers = head && { ...preserved(head), "if-match": ifMatchValue(this.#client, head.etag) };
      await this.#client.put(this.#key, body, { headers, context, signal });
      this.#client.onProgress?.({ loaded: body.length, path: this.#key });
      return;
    }
    const parts = await scheduler.finish(signal);
    const { upload, copied } = await this.#ensureUpload(signal);
    const head = this.#head;
    const copiedFrom = this.#splice && head ? { key: this.#key, etag: head.etag } : undefined;
    await upload.complete([...copied, ...parts], context, signal, copiedFrom);
  }

  /** After a failure: stops part uploads and aborts the multipart upload. */
  async discard(error: unknown): Promise<void> {
    await this.#scheduler.abort(error);
    const created = await this.#upload?.catch(() => undefined);
    await created?.upload.abort(this.#context("close")).catch(() => undefined);
  }

  /** Creates the multipart upload once; when splicing, copies the old object in as the first parts. */
  #ensureUpload(signal: AbortSignalLike | undefined): Promise<{ upload: MultipartUpload; copied: string[] }> {
    this.#upload ??= (async () => {
      const context = this.#context("close");
      const head = this.#head;
      const client = this.#client;
      const upload = await MultipartUpload.create(client, this.#key, head ? preserved(head) : {}, context, signal);
      if (!this.#splice || head === undefined) return { upload, copied: [] };
      try {
        const step = client.compat.equalParts ? client.partSize : MAX_COPY_PART;
        const copied = await copyRanges(
          upload,
          this.#key,
          head.etag,
          this.#copiedEnd,
          step,
          client.concurrency,
          context,
          signal,
        );
        return { upload, copied };
      } catch (error) {
        await upload.abort(context).catch(() => undefined);
        throw error;
      }
    })();
    return this.#upload;
  }
}
