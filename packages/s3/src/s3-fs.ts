import {
  type AbortSignalLike,
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
import { bodyText, discardBody } from "@fusio/http/body";
import { extras, S3Client } from "./internal/client.ts";
import { headObject } from "./internal/head.ts";
import { parseListPage } from "./internal/list-xml.ts";
import type { S3FsOptions } from "./options.ts";
import { S3File } from "./s3-file.ts";

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
  readonly #pageSize: string | undefined;

  constructor(options: S3FsOptions) {
    this.#client = new S3Client(options);
    this.#pageSize = options.listPageSize === undefined ? undefined : String(options.listPageSize);
    this.bucket = this.#client.bucket;
    this.endpoint = this.#client.endpoint;
    this.region = this.#client.region;
    this.id = `s3:${this.endpoint}/${this.bucket}`;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const open = normalizeOpenOptions(options);
    const [key, context] = at("open", path, options.signal);
    if (open.syncOnClose === "all") throw new FusioError("Unsupported", "S3 supports sync level 'data' only", context);
    // A handle that replaces a possibly missing object needs no HEAD.
    const head =
      open.create && open.truncate ? undefined : await headObject(this.#client, key.raw, context, options.signal);
    if (head === undefined && !open.create) throw new FusioError("NotFound", "no such object", context);
    return new S3File(this.#client, key, open, head);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const [key, context] = at("stat", path, options?.signal, true);
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
    const [base, context] = at("list", dir, options.signal, true);
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
        entries.push(meta(path, object));
      }
      for (const common of page.prefixes) {
        const path = parseKey(common);
        if (path !== undefined) entries.push({ path, size: 0, isDirectory: true });
      }
      // S3 lists keys, and apart from them common prefixes, in UTF-8 binary order (as the pages
      // follow each other): only a page with both needs them interleaved.
      if (page.prefixes.length > 0) entries.sort((a, b) => Path.compare(a.path, b.path));
      for (const entry of entries) {
        throwIfAborted(options.signal, context);
        yield entry;
      }
      token = page.nextToken;
    } while (token !== undefined);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    at("createDirAll", path, options?.signal, true);
  }

  /** [DeleteObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html); a missing key resolves. */
  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const [key, context] = at("remove", path, options?.signal);
    const signal = options?.signal;
    await this.#client.send(
      { method: "DELETE", key: key.raw, idempotent: true, context, signal, accept: [404] },
      (response) => discardBody(response.body),
    );
  }

  /**
   * Server-side copy: [CopyObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html)
   * up to 5 GiB, a multipart copy above. Guarded by the source's ETag so the copy is one version.
   */
  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const target = toPath(to);
    const [source, context] = at("copy", from, options?.signal);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    await (await extras()).copyObject(this.#client, source.raw, target.raw, context, options?.signal);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    toPath(to);
    throw new FusioError("Unsupported", "S3 has no links", at("link", from, options?.signal, true)[1]);
  }

  /** GET of the whole object with its ETag; undefined when missing. */
  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const [key, context] = at("loadWithTag", path, options?.signal);
    return (await extras()).loadWithTag(this.#client, key.raw, context, options?.signal);
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
    const [key, context] = at("putConditional", path, options.signal);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    return (await extras()).putConditional(this.#client, key.raw, data, when, options, context);
  }
}

/** The key and error context of `op` on `path`; rejects an aborted call and (unless `root`) the root. */
function at(
  op: string,
  path: Path | string,
  signal: AbortSignalLike | undefined,
  root?: boolean,
): [Path, ErrorContext] {
  const key = toPath(path);
  const context = { op, path: key.raw, backend: "s3" };
  throwIfAborted(signal, context);
  if (!root && key.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
  return [key, context];
}

function parseKey(key: string): Path | undefined {
  try {
    return Path.parse(key);
  } catch {
    return undefined;
  }
}

/** The `FileMeta` of an object (from a HEAD or a list entry); absent fields stay absent. */
function meta(
  path: Path,
  object: { size: number; lastModified: Date | undefined; etag: string | undefined },
): FileMeta {
  return {
    path,
    size: object.size,
    ...(object.lastModified && { lastModified: object.lastModified }),
    ...(object.etag && { etag: object.etag }),
  };
}
