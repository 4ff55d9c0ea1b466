import {
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
  type ErrorContext,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  Path,
  type PutConditionalOptions,
  throwIfAborted,
  toPath,
} from "@fusio/core";
import { bodyText, collectBody, discardBody } from "@fusio/http";
import { S3Client } from "./internal/client.ts";
import { errorIn200 } from "./internal/errors.ts";
import { headObject, type ObjectHead } from "./internal/head.ts";
import { parseListPage } from "./internal/list-xml.ts";
import { MultipartUpload } from "./internal/multipart.ts";
import { ifMatchValue, putObject } from "./internal/put.ts";
import { MAX_COPY_PART, MIN_PART_SIZE, type S3FsOptions } from "./options.ts";
import { S3File, type S3FileConfig } from "./s3-file.ts";

/**
 * An S3 bucket (AWS or any S3-compatible server) as a fusio {@link CasFs}. Keys are `Path.raw`;
 * directories are only implied by `/` in keys. See {@link S3FsOptions}.
 *
 * ```ts
 * const fs = new S3Fs({ bucket: "data", region: "eu-west-1", credentials: { accessKeyId, secretAccessKey } });
 * const file = await fs.open("logs/today.txt", { create: true, truncate: true });
 * await file.writeAll(bytes);
 * await file.close(); // the object becomes visible here
 * ```
 */
export class S3Fs implements CasFs {
  readonly kind = "s3";
  /** `s3:<endpoint>/<bucket>`: equal ids share a namespace. */
  readonly id: string;
  readonly capabilities: Capabilities = Object.freeze({
    link: false,
    copy: true,
    cas: true,
    directories: false,
    visibleBeforeClose: false,
    sync: Object.freeze(["data"] as const),
  });
  /** The bucket. */
  readonly bucket: string;
  /** The endpoint URL (never holds credentials). */
  readonly endpoint: string;
  /** The SigV4 region. */
  readonly region: string;
  readonly #client: S3Client;
  readonly #file: S3FileConfig;
  readonly #pageSize: string | undefined;

  constructor(options: S3FsOptions) {
    this.#client = new S3Client(options);
    const context = { op: "new S3Fs", backend: "s3" };
    const partSize = options.partSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_COPY_PART) {
      throw new FusioError("InvalidArgument", "`partSize` must be an integer from 5 MiB to 5 GiB", context);
    }
    const concurrency = options.concurrency ?? 4;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new FusioError("InvalidArgument", "`concurrency` must be a positive integer", context);
    }
    this.#pageSize = options.listPageSize === undefined ? undefined : String(options.listPageSize);
    this.#file = { client: this.#client, partSize, concurrency, onProgress: options.onProgress };
    this.bucket = this.#client.bucket;
    this.endpoint = this.#client.endpoint;
    this.region = this.#client.region;
    this.id = `s3:${this.endpoint}/${this.bucket}`;
  }

  #context(op: string, path: Path): ErrorContext {
    return { op, path: path.raw, backend: this.kind };
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const key = toPath(path);
    const context = this.#context("open", key);
    const open = normalizeOpenOptions(options);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    if (open.syncOnClose === "all") {
      throw new FusioError("Unsupported", "S3 supports sync level 'data' only", context);
    }
    // A handle that replaces a possibly missing object needs no HEAD.
    const head =
      open.create && open.truncate ? undefined : await headObject(this.#client, key.raw, context, options.signal);
    if (head === undefined && !open.create && !(open.truncate && open.create)) {
      throw new FusioError("NotFound", "no such object", context);
    }
    return new S3File(this.#file, key, open, head);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const key = toPath(path);
    const context = this.#context("stat", key);
    throwIfAborted(options?.signal, context);
    if (key.isRoot) return { path: key, size: 0, isDirectory: true };
    const head = await headObject(this.#client, key.raw, context, options?.signal);
    if (head === undefined) throw new FusioError("NotFound", "no such object", context);
    return meta(key, head);
  }

  /**
   * [ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html),
   * page by page, each fetched only when the consumer wants more. Objects and CommonPrefixes
   * are merged into one key-ordered stream.
   */
  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const base = toPath(dir);
    const context = this.#context("list", base);
    throwIfAborted(options.signal, context);
    const prefix = base.isRoot ? "" : `${base.raw}/`;
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        {
          method: "GET",
          query: {
            "list-type": "2",
            prefix,
            delimiter: options.recursive ? undefined : "/",
            "continuation-token": token,
            "max-keys": this.#pageSize,
          },
          idempotent: true,
          context,
          signal: options.signal,
        },
        async (response) => parseListPage(await bodyText(response.body), context),
      );
      const entries: FileMeta[] = [];
      for (const object of page.objects) {
        // Zero-byte "folder" markers (`dir/`) and keys fusio cannot name are not files.
        if (object.key.endsWith("/")) continue;
        const path = parseKey(object.key);
        if (path === undefined) continue;
        entries.push({
          path,
          size: object.size,
          ...(object.lastModified && { lastModified: object.lastModified }),
          ...(object.etag && { etag: object.etag }),
        });
      }
      for (const common of page.prefixes) {
        const path = parseKey(common);
        if (path !== undefined) entries.push({ path, size: 0, isDirectory: true });
      }
      entries.sort((a, b) => Path.compare(a.path, b.path));
      for (const entry of entries) {
        throwIfAborted(options.signal, context);
        yield entry;
      }
      token = page.nextToken;
    } while (token !== undefined);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    throwIfAborted(options?.signal, this.#context("createDirAll", key));
  }

  /** [DeleteObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html); a missing key resolves. */
  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const key = toPath(path);
    const context = this.#context("remove", key);
    throwIfAborted(options?.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    await this.#client.send(
      { method: "DELETE", key: key.raw, idempotent: true, context, signal: options?.signal, accept: [404] },
      (response) => discardBody(response.body),
    );
  }

  /**
   * Server-side copy: [CopyObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html)
   * up to 5 GiB, a multipart copy above. Guarded by the source's ETag so the copy is one version.
   */
  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    const target = toPath(to);
    const context = this.#context("copy", source);
    const signal = options?.signal;
    throwIfAborted(signal, context);
    if (source.isRoot || target.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    const head = await headObject(this.#client, source.raw, context, signal);
    if (head === undefined) throw new FusioError("NotFound", "no such object", context);
    if (head.size <= MAX_COPY_PART) {
      await this.#client.send(
        {
          method: "PUT",
          key: target.raw,
          headers: {
            "x-amz-copy-source": this.#client.copySource(source.raw),
            "x-amz-copy-source-if-match": head.etag,
          },
          idempotent: true,
          context,
          signal,
        },
        async (response) => {
          const failure = errorIn200(await bodyText(response.body), context);
          if (failure) throw failure;
        },
      );
      return;
    }
    const upload = await MultipartUpload.create(this.#client, target.raw, head.preserved, context, signal);
    try {
      const ranges: Array<[number, number]> = [];
      for (let start = 0; start < head.size; start += MAX_COPY_PART) {
        ranges.push([start, Math.min(head.size, start + MAX_COPY_PART) - 1]);
      }
      const etags = await Promise.all(
        ranges.map((range, i) => upload.uploadPartCopy(i + 1, source.raw, range, head.etag, context, signal)),
      );
      await upload.complete(etags, context, signal);
    } catch (error) {
      await upload.abort(context).catch(() => undefined);
      throw error;
    }
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const source = toPath(from);
    toPath(to);
    const context = this.#context("link", source);
    throwIfAborted(options?.signal, context);
    throw new FusioError("Unsupported", "S3 has no links", context);
  }

  /** GET of the whole object with its ETag; undefined when missing. */
  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const key = toPath(path);
    const context = this.#context("loadWithTag", key);
    throwIfAborted(options?.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    return this.#client.send(
      { method: "GET", key: key.raw, idempotent: true, context, signal: options?.signal, accept: [404] },
      async (response) => {
        if (response.status === 404) {
          await discardBody(response.body);
          return undefined;
        }
        const length = Number(response.headers.get("content-length") ?? Number.NaN);
        const data = await collectBody(response.body, Number.isNaN(length) ? undefined : length);
        if (!Number.isNaN(length) && data.length !== length) {
          throw new FusioError("Io", "the body ended early", { ...context, retryable: true });
        }
        return { data, tag: response.headers.get("etag") ?? "" };
      },
    );
  }

  /**
   * PUT with `If-None-Match: *` or `If-Match: <tag>`
   * ([conditional writes](https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html)).
   * 412 -> `PreconditionFailed`; 409 ConditionalRequestConflict is retried.
   */
  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const key = toPath(path);
    const context = this.#context("putConditional", key);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    throwIfAborted(options.signal, context);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    const headers: Record<string, string> =
      "ifNotExists" in when ? { "if-none-match": "*" } : { "if-match": ifMatchValue(this.#client, when.ifMatch) };
    if (options.contentType !== undefined) headers["content-type"] = options.contentType;
    for (const [name, value] of Object.entries(options.metadata ?? {})) {
      headers[`x-amz-meta-${name.toLowerCase()}`] = value;
    }
    const tag = await putObject(this.#client, key.raw, data, { headers, context, signal: options.signal });
    if (tag !== "") return tag;
    // Some servers omit the ETag of a conditional PUT: read it back.
    const head = await headObject(this.#client, key.raw, context, options.signal);
    return head?.etag ?? "";
  }
}

function parseKey(key: string): Path | undefined {
  try {
    return Path.parse(key);
  } catch {
    return undefined;
  }
}

function meta(path: Path, head: ObjectHead): FileMeta {
  return {
    path,
    size: head.size,
    ...(head.lastModified && { lastModified: head.lastModified }),
    ...(head.etag && { etag: head.etag }),
  };
}
