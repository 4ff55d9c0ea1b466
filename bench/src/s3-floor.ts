// The S3 floor of the benchmarks: signed requests with the native node:crypto SigV4 signer and
// nothing else, sent with undici.request() (the floor every S3 group holds fusio's default
// configuration to) or with the runtime's bare fetch (what the fetch client can at best do:
// fetch copies request bodies, which no client on top of it can avoid).
import { encodeKey, encodeQuery } from "@fusio/s3";
import { nodeSigner } from "@fusio/s3/node-signer";
import { type Dispatcher, request } from "undici";
import { IN_FLIGHT, PART_SIZE, pool } from "./remote-workloads.ts";
import type { S3Config } from "./servers.ts";

/** The part of an answer the floor reads, whichever transport sent the request. */
export interface FloorResponse {
  statusCode: number;
  header(name: string): string | undefined;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Reads the body to its end and drops it (frees the connection). */
  dump(): Promise<void>;
}

export interface FloorRequest {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** An error status that is fine (e.g. 409 for a bucket that exists). */
  allow?: number;
}

/** Signs and sends; fails on an error status. `dispatcher` picks undici.request(), none bare fetch. */
export class Floor {
  readonly #host: string;
  constructor(
    readonly config: S3Config,
    readonly bucket: string,
    readonly dispatcher?: Dispatcher,
  ) {
    this.#host = new URL(config.endpoint).host;
  }

  async send(method: "GET" | "PUT" | "POST", key: string, options: FloorRequest = {}): Promise<FloorResponse> {
    const path = `/${this.bucket}${key ? `/${encodeKey(key)}` : ""}`;
    const query = options.query ? encodeQuery(options.query) : "";
    const datetime = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
    const headers: Record<string, string> = {
      ...options.headers,
      "x-amz-date": datetime,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
    };
    headers.authorization = nodeSigner.authorization({
      method,
      host: this.#host,
      path,
      query,
      headers,
      datetime,
      region: this.config.region,
      service: "s3",
      credentials: this.config,
    }) as string;
    const url = `${this.config.endpoint}${path}${query ? `?${query}` : ""}`;
    const response =
      this.dispatcher === undefined
        ? fromFetch(
            await fetch(url, { method, headers, body: (options.body ?? null) as BodyInit | null, redirect: "manual" }),
          )
        : fromUndici(
            await request(url, {
              method,
              headers,
              body: options.body ?? null,
              dispatcher: this.dispatcher,
              reset: false,
            }),
          );
    if (response.statusCode >= 300 && response.statusCode !== options.allow) {
      const text = await response.text();
      throw new Error(`floor ${method} ${path}?${query}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
    return response;
  }

  /** CreateMultipartUpload, UploadPart x N (IN_FLIGHT at once), CompleteMultipartUpload. */
  async multipartUpload(key: string, data: Uint8Array): Promise<void> {
    const upload = await this.createUpload(key);
    await pool(Math.ceil(data.length / PART_SIZE), IN_FLIGHT, (index) =>
      upload.part(index + 1, data.subarray(index * PART_SIZE, (index + 1) * PART_SIZE)),
    );
    await upload.complete();
  }

  /** A multipart upload: parts by number (any order, any concurrency), then complete. */
  async createUpload(key: string): Promise<{
    part(number: number, data: Uint8Array): Promise<void>;
    complete(): Promise<void>;
  }> {
    const created = await (await this.send("POST", key, { query: { uploads: "" } })).text();
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)?.[1];
    if (uploadId === undefined) throw new Error(`floor: no UploadId in ${created.slice(0, 200)}`);
    const etags: string[] = [];
    return {
      part: async (number, data) => {
        const answer = await this.send("PUT", key, { query: { partNumber: String(number), uploadId }, body: data });
        etags[number - 1] = String(answer.header("etag"));
        await answer.dump();
      },
      complete: async () => {
        const parts = etags.map(
          (etag, index) => `<Part><PartNumber>${index + 1}</PartNumber><ETag>${etag}</ETag></Part>`,
        );
        const completed = await this.send("POST", key, {
          query: { uploadId },
          body: Buffer.from(`<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`),
        });
        // Complete can answer 200 with an <Error> body.
        const text = await completed.text();
        if (!text.includes("<CompleteMultipartUploadResult")) {
          throw new Error(`floor: complete failed: ${text.slice(0, 200)}`);
        }
      },
    };
  }

  /** ListObjectsV2 pages (1,000 keys each) with continuation tokens; each key and size. */
  async list(prefix: string): Promise<Array<{ key: string; size: number }>> {
    let token: string | undefined;
    const seen: Array<{ key: string; size: number }> = [];
    do {
      const query: Record<string, string> = { "list-type": "2", prefix };
      if (token !== undefined) query["continuation-token"] = token;
      const text = await (await this.send("GET", "", { query })).text();
      for (const [, key, size] of text.matchAll(/<Key>([^<]*)<\/Key>[\s\S]*?<Size>(\d+)<\/Size>/g)) {
        seen.push({ key: key as string, size: Number(size) });
      }
      token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1]?.replaceAll("&amp;", "&");
    } while (token !== undefined);
    return seen;
  }
}

function fromUndici(response: Dispatcher.ResponseData): FloorResponse {
  return {
    statusCode: response.statusCode,
    header: (name) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    text: () => response.body.text(),
    arrayBuffer: () => response.body.arrayBuffer(),
    dump: () => response.body.dump(),
  };
}

function fromFetch(response: Response): FloorResponse {
  return {
    statusCode: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    text: () => response.text(),
    arrayBuffer: () => response.arrayBuffer(),
    dump: async () => {
      await response.arrayBuffer();
    },
  };
}
