import { createHash, createHmac } from "node:crypto";
import { type Signer, type SignRequest, UNSIGNED_HEADERS } from "./signer.ts";

const keys = new Map<string, Buffer>();

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${day}/${region}/${service}/${secret}`;
  let key = keys.get(id);
  if (key === undefined) {
    const date = createHmac("sha256", `AWS4${secret}`).update(day).digest();
    const regional = createHmac("sha256", date).update(region).digest();
    const serviced = createHmac("sha256", regional).update(service).digest();
    key = createHmac("sha256", serviced).update("aws4_request").digest();
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/**
 * SigV4 on `node:crypto`, synchronous, with the signing key cached per day: ~6 µs per request
 * instead of aws4fetch's ~100-230 µs. Produces the same signatures as the portable signer.
 * Also runs on Bun and Deno (both provide `node:crypto`).
 */
export const nodeSigner: Signer = {
  authorization(request: SignRequest): string {
    const names = ["host"];
    for (const name of Object.keys(request.headers)) {
      if (name !== "host" && (request.allHeaders || !UNSIGNED_HEADERS.has(name))) names.push(name);
    }
    names.sort();
    let canonicalHeaders = "";
    for (const name of names) {
      const value = name === "host" ? request.host : (request.headers[name] as string).trim().replace(/\s+/g, " ");
      canonicalHeaders += `${name}:${value}\n`;
    }
    const signedHeaders = names.join(";");
    const payload = request.headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD";
    const canonical = `${request.method}\n${request.path}\n${request.query}\n${canonicalHeaders}\n${signedHeaders}\n${payload}`;
    const day = request.datetime.slice(0, 8);
    const scope = `${day}/${request.region}/${request.service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${request.datetime}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
    const key = signingKey(request.credentials.secretAccessKey, day, request.region, request.service);
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    return `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  },
  sha256Hex(data: Uint8Array): string {
    return createHash("sha256").update(data).digest("hex");
  },
};

export { nodeSigner as defaultSigner };
