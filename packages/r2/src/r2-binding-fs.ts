import {
  beginCall,
  beginOpen,
  beginPutConditional,
  type CallOptions,
  type Capabilities,
  type CasCondition,
  type CasFs,
  type ErrorContext,
  type File,
  type FileMeta,
  FusioError,
  type ListOptions,
  type OpenOptions,
  type Path,
  type PutConditionalOptions,
  toPath,
} from "@fusio/core";
import type { R2BucketLike, R2ObjectLike } from "./binding.ts";
import { hasBody, pipeObject, readBody } from "./internal/body.ts";
import { fromR2Error } from "./internal/errors.ts";
import { listEntries } from "./internal/list.ts";
import { MultipartWriter, withDefined } from "./internal/multipart-writer.ts";
import { R2BindingFile } from "./r2-binding-file.ts";

const MiB = 1024 * 1024;
/** R2's smallest non-final part. */
const MIN_PART_SIZE = 5 * MiB;
/** R2's largest part. */
const MAX_PART_SIZE = 5 * 1024 * MiB;

/** Options of {@link R2BindingFs}. */
export interface R2BindingFsOptions {
  /**
   * The namespace id (see `Fs.id`), e.g. the bucket name. Defaults to one id per binding
   * object, so two R2BindingFs on the same `env.BUCKET` share it.
   */
  id?: string | undefined;
  /**
   * Size in bytes of every non-final part of a multipart upload (R2 requires them equal).
   * Objects up to this size are written with one put. Between 5 MiB and 5 GiB; default 8 MiB.
   */
  partSize?: number | undefined;
  /** Parts uploaded at once by one writer; memory stays below `partSize * (concurrency + 1)`. Default 2. */
  concurrency?: number | undefined;
  /**
   * Progress of long writes (file writers and copies): bytes stored so far, after every part
   * and once more when the object is published.
   */
  onProgress?: ((progress: { loaded: number; path: string }) => void) | undefined;
}

const ids = new WeakMap<object, string>();
let instances = 0;

/**
 * Cloudflare R2 through the Workers binding (`env.BUCKET`), for code running inside Workers:
 * `new R2BindingFs(env.BUCKET)`. Directories are implied by keys; files become visible at
 * `close`; conditional writes use R2's `onlyIf` on the object's etag.
 */
export class R2BindingFs implements CasFs {
  readonly kind = "r2-binding";
  readonly id: string;
  readonly capabilities: Capabilities = Object.freeze({
    link: false,
    copy: true,
    cas: true,
    directories: false,
    visibleBeforeClose: false,
    sync: Object.freeze([]),
  });
  /** The binding this Fs works on. */
  readonly bucket: R2BucketLike;
  readonly #partSize: number;
  readonly #concurrency: number;
  readonly #onProgress: R2BindingFsOptions["onProgress"];

  constructor(bucket: R2BucketLike, options: R2BindingFsOptions = {}) {
    const context = { op: "new R2BindingFs", backend: this.kind };
    if (typeof bucket !== "object" || bucket === null || typeof bucket.createMultipartUpload !== "function") {
      throw new FusioError("InvalidArgument", "expected an R2Bucket binding", context);
    }
    const partSize = options.partSize ?? 8 * MiB;
    if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw new FusioError("InvalidArgument", "partSize must be an integer between 5 MiB and 5 GiB", context);
    }
    const concurrency = options.concurrency ?? 2;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new FusioError("InvalidArgument", "concurrency must be a positive integer", context);
    }
    this.bucket = bucket;
    this.#partSize = partSize;
    this.#concurrency = concurrency;
    this.#onProgress = options.onProgress;
    let id = options.id ?? ids.get(bucket);
    if (id === undefined) {
      id = `r2-binding:${++instances}`;
      ids.set(bucket, id);
    }
    this.id = id;
  }

  async open(path: Path | string, options: OpenOptions = {}): Promise<File> {
    const { path: key, context, open } = beginOpen(this, path, options);
    // A replacing create needs nothing from the old object; everything else checks it exists.
    const existing = open.create && open.truncate ? undefined : await this.#head(key, context);
    if (existing === undefined && !open.create) throw new FusioError("NotFound", "no such file", context);
    return new R2BindingFile({
      bucket: this.bucket,
      path: key,
      options: open,
      existing,
      partSize: this.#partSize,
      concurrency: this.#concurrency,
      onProgress: this.#onProgress,
    });
  }

  async stat(path: Path | string, options?: CallOptions): Promise<FileMeta> {
    const { path: key, context } = beginCall(this.kind, "stat", path, options?.signal);
    const object = key.isRoot ? undefined : await this.#head(key, context);
    if (object === undefined) throw new FusioError("NotFound", "no such file", context);
    return { path: key, size: object.size, lastModified: new Date(object.uploaded), etag: object.etag };
  }

  async *list(dir: Path | string, options: ListOptions = {}): AsyncGenerator<FileMeta> {
    const { path: base, context } = beginCall(this.kind, "list", dir, options.signal);
    yield* listEntries(this.bucket, base, options.recursive === true, options.signal, context);
  }

  async createDirAll(path: Path | string, options?: CallOptions): Promise<void> {
    beginCall(this.kind, "createDirAll", path, options?.signal);
  }

  async remove(path: Path | string, options?: CallOptions): Promise<void> {
    const { path: key, context } = beginCall(this.kind, "remove", path, options?.signal);
    if (key.isRoot) throw new FusioError("IsADirectory", "the root is a directory", context);
    try {
      await this.bucket.delete(key.raw);
    } catch (error) {
      throw fromR2Error(error, context);
    }
  }

  async copy(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    const signal = options?.signal;
    const target = toPath(to, { op: "copy", backend: this.kind });
    const { path: source, context } = beginCall(this.kind, "copy", from, signal);
    if (target.isRoot) throw new FusioError("IsADirectory", "the root is not a file", context);
    // The binding has no server-side copy: get + put, one part at a time for large objects.
    const object = source.isRoot ? undefined : await this.#head(source, context);
    if (object === undefined) throw new FusioError("NotFound", "no such file", context);
    const writer = new MultipartWriter({
      bucket: this.bucket,
      key: target.raw,
      partSize: this.#partSize,
      concurrency: this.#concurrency,
      httpMetadata: object.httpMetadata,
      customMetadata: object.customMetadata,
      context,
      onProgress: this.#progress(target),
    });
    try {
      await pipeObject(this.bucket, object, writer, this.#partSize, signal, context);
      await writer.finish(signal);
    } catch (error) {
      const failure = fromR2Error(error, context);
      await writer.abort(failure);
      // A source that changed mid-copy has moved on; report it as the copy's own race.
      throw failure;
    }
  }

  async link(from: Path | string, to: Path | string, options?: CallOptions): Promise<void> {
    toPath(to, { op: "link", backend: this.kind });
    const { context } = beginCall(this.kind, "link", from, options?.signal);
    throw new FusioError("Unsupported", "R2 has no links", context);
  }

  async loadWithTag(
    path: Path | string,
    options?: CallOptions,
  ): Promise<{ data: Uint8Array; tag: string } | undefined> {
    const { path: key, context } = beginCall(this.kind, "loadWithTag", path, options?.signal);
    if (key.isRoot) return undefined;
    let object: R2ObjectLike | null;
    try {
      object = await this.bucket.get(key.raw);
    } catch (error) {
      throw fromR2Error(error, context);
    }
    if (object === null) return undefined;
    if (!hasBody(object)) throw new FusioError("Io", "R2 returned no body", context);
    const data = await readBody(object, options?.signal, context);
    if (data.length !== object.size) {
      throw new FusioError("Io", "the object returned another number of bytes than it holds", context);
    }
    return { data, tag: object.etag };
  }

  async putConditional(
    path: Path | string,
    data: Uint8Array,
    when: CasCondition,
    options: PutConditionalOptions = {},
  ): Promise<string> {
    const { path: key, context } = beginPutConditional(this.kind, path, data, when, options.signal);
    const precondition = new FusioError("PreconditionFailed", "the condition of the write does not hold", context);
    if ("ifMatch" in when && when.ifMatch.includes('"')) {
      // Tags are R2's bare etags; a quoted one can never match (and the binding refuses it).
      throw precondition;
    }
    let stored: R2ObjectLike | null;
    try {
      stored = await this.bucket.put(
        key.raw,
        data,
        withDefined({
          onlyIf: "ifMatch" in when ? { etagMatches: when.ifMatch } : { etagDoesNotMatch: "*" },
          httpMetadata: options.contentType === undefined ? undefined : { contentType: options.contentType },
          customMetadata: options.metadata && { ...options.metadata },
        }),
      );
    } catch (error) {
      throw fromR2Error(error, context);
    }
    if (stored === null) throw precondition;
    return stored.etag;
  }

  #progress(path: Path): ((loaded: number) => void) | undefined {
    const report = this.#onProgress;
    return report && ((loaded) => report({ loaded, path: path.raw }));
  }

  async #head(key: Path, context: ErrorContext): Promise<R2ObjectLike | undefined> {
    try {
      return (await this.bucket.head(key.raw)) ?? undefined;
    } catch (error) {
      throw fromR2Error(error, context);
    }
  }
}
