import {
  type AbortSignalLike,
  beginCall,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  checkBytes,
  checkCasCondition,
  type File,
  type FileMeta,
  type FsCall,
  FusioError,
  type ListOptions,
  normalizeOpenOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
  toPath,
} from "@fusio/core";
import { discardBody } from "@fusio/http/body";
import { S3Client } from "./internal/client.ts";
import { lazy } from "./internal/lazy.ts";
import { listObjects, objectMeta } from "./internal/list.ts";
import { readToEnd } from "./internal/read.ts";
import type { S3FsOptions } from "./options.ts";
import { S3File } from "./s3-file.ts";

const BACKEND = "s3";

/** Server-side copy, loaded at the first `copy`. */
const copyModule = lazy(() => import("./internal/copy.ts"));
/** Conditional writes, loaded at the first `loadWithTag` or `putConditional`. */
const casModule = lazy(() => import("./internal/cas.ts"));

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
    const { path: key, context } = objectCall("open", path, options.signal);
    if (open.syncOnClose === "all") throw new FusioError("Unsupported", "S3 supports sync level 'data' only", context);
    // A handle that replaces a possibly missing object needs no HEAD.
    const head = open.create && open.truncate ? undefined : await this.#client.head(key.raw, context, options.signal);
    // A 404 HEAD has no body: once per client, a HeadBucket tells a missing bucket apart.
    if (head === undefined && !open.create) throw await this.#client.noSuchObject(context, options.signal);
    return new S3File(this.#client, key, open, head);
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = keyCall("stat", path, options?.signal);
    if (key.isRoot) return { path: key, size: 0, isDirectory: true };
    const head = await this.#client.head(key.raw, context, options?.signal);
    // No HeadBucket here (see `open`): `stat` is how `exists` asks, and it stays one request.
    if (head === undefined) throw new FusioError("NotFound", "no such object", context);
    return objectMeta(key, head);
  }

  /**
   * [ListObjectsV2](https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html),
   * page by page, each fetched only when the consumer wants more. Objects and CommonPrefixes
   * are merged into one key-ordered stream.
   */
  /**
   * The whole object in one [GetObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html),
   * without the HEAD of `open` (see `Fs.readFile`); its length is checked against `Content-Length`.
   */
  async readFile(path: Path | string, options?: CallOptions): Promise<Uint8Array> {
    const { path: key, context } = objectCall("readFile", path, options?.signal);
    return readToEnd(this.#client, key.raw, 0, context, options?.signal);
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = keyCall("list", dir, options.signal);
    const listing = { recursive: options.recursive === true, pageSize: this.#pageSize };
    yield* listObjects(this.#client, base, listing, context, options.signal);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    beginCall(BACKEND, "createDirAll", path, options?.signal);
  }

  /** [DeleteObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html); a missing key resolves. */
  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = objectCall("remove", path, options?.signal);
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
    const target = toPath(to, { op: "copy", backend: BACKEND });
    const { path: source, context } = objectCall("copy", from, options?.signal);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not an object", context);
    await (await copyModule()).copyObject(this.#client, source.raw, target.raw, context, options?.signal);
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    toPath(to, { op: "link", backend: BACKEND });
    const { context } = beginCall(BACKEND, "link", from, options?.signal);
    throw new FusioError("Unsupported", "S3 has no links", context);
  }

  /** GET of the whole object with its ETag; undefined when missing. */
  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const { path: key, context } = objectCall("loadWithTag", path, options?.signal);
    return (await casModule()).loadWithTag(this.#client, key.raw, context, options?.signal);
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
    const { path: key, context } = objectCall("putConditional", path, options.signal);
    checkBytes(data, "data", context);
    checkCasCondition(when, context);
    return (await casModule()).putConditional(this.#client, key.raw, data, when, options, context);
  }
}

/**
 * {@link beginCall}, with a clear word for a URL given as a path (`s3://bucket/key`): paths are
 * keys inside the configured bucket.
 */
function keyCall(op: string, path: Path | string, signal: AbortSignalLike | undefined): FsCall {
  if (typeof path === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new FusioError(
      "InvalidPath",
      "a path is a key inside the configured bucket, not a URL: drop the `s3://bucket/` part",
      { op, path, backend: BACKEND },
    );
  }
  return beginCall(BACKEND, op, path, signal);
}

/** {@link keyCall} for a call on one object: the root, which is no object, is refused. */
function objectCall(op: string, path: Path | string, signal: AbortSignalLike | undefined): FsCall {
  const call = keyCall(op, path, signal);
  if (call.path.isRoot) throw new FusioError("IsADirectory", "the root is not an object", call.context);
  return call;
}
