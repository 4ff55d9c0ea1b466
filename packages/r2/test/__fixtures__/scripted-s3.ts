import type { HttpClient, HttpRequest, HttpResponse } from "@fusio/core";

/** One request as the preset sent it (body reduced to its size). */
export interface SentRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  size: number;
}

/** An existing object the scripted server knows. */
export interface ScriptedObject {
  data: Uint8Array;
  etag: string;
  headers?: Record<string, string>;
}

/**
 * An `HttpClient` that records every request and answers the few S3 calls a write, an append
 * and a stat make, the way S3 documents them. For asserting request shapes only: the real
 * server runs are the conformance suites.
 */
export class ScriptedS3 implements HttpClient {
  readonly sent: SentRequest[] = [];
  readonly objects = new Map<string, ScriptedObject>();

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
    this.sent.push({ method: request.method, url, headers: { ...request.headers }, size: body.length });
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    const query = url.searchParams;
    const object = this.objects.get(key);
    if (request.method === "HEAD") {
      if (!object) return answer(404);
      return answer(200, {
        "content-length": String(object.data.length),
        etag: object.etag,
        "last-modified": new Date(0).toUTCString(),
        ...object.headers,
      });
    }
    if (request.method === "GET") {
      if (!object) return answer(404, {}, "<Error><Code>NoSuchKey</Code></Error>");
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
      if (!range) return answer(200, { "content-length": String(object.data.length), etag: object.etag }, object.data);
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), object.data.length - 1) : object.data.length - 1;
      return answer(
        206,
        { "content-range": `bytes ${start}-${end}/${object.data.length}`, "content-length": String(end - start + 1) },
        object.data.slice(start, end + 1),
      );
    }
    if (request.method === "POST" && query.has("uploads")) {
      return answer(200, {}, "<InitiateMultipartUploadResult><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>");
    }
    if (request.method === "PUT" && query.has("partNumber")) {
      const etag = `"part-${query.get("partNumber")}"`;
      if (request.headers["x-amz-copy-source"]) {
        return answer(200, {}, `<CopyPartResult><ETag>${etag.replaceAll('"', "&quot;")}</ETag></CopyPartResult>`);
      }
      return answer(200, { etag });
    }
    if (request.method === "POST" && query.has("uploadId")) {
      return answer(200, {}, '<CompleteMultipartUploadResult><ETag>"done"</ETag></CompleteMultipartUploadResult>');
    }
    if (request.method === "DELETE") return answer(204);
    if (request.method === "PUT") return answer(200, { etag: '"put"' });
    return answer(400, {}, "<Error><Code>NotImplemented</Code></Error>");
  }
}

function answer(status: number, headers: Record<string, string> = {}, body: string | Uint8Array = ""): HttpResponse {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    status,
    headers: {
      get: (name: string) => lower.get(name.toLowerCase()) ?? null,
      forEach: (callback: (value: string, name: string) => void) => lower.forEach((value, name) => callback(value, name)),
    } as HttpResponse["headers"],
    body: (async function* () {
      if (bytes.length > 0) yield bytes;
    })(),
  };
}
