// Ceph RGW readiness probe for ceph-rgw.sh, with no dependencies: a SigV4-signed ListBuckets (GET /) must answer 200.
// usage: node ceph-rgw-probe.mjs <endpoint> <accessKeyId> <secretAccessKey> [region]
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";

const [endpoint, accessKeyId, secret, region = "us-east-1"] = process.argv.slice(2);
const url = new URL(endpoint);
const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
const day = amzDate.slice(0, 8);
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const payload = sha256("");
const signed = "host;x-amz-content-sha256;x-amz-date";
const canonical = [
  "GET",
  "/",
  "",
  `host:${url.host}`,
  `x-amz-content-sha256:${payload}`,
  `x-amz-date:${amzDate}`,
  "",
  signed,
  payload,
].join("\n");
const scope = `${day}/${region}/s3/aws4_request`;
const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), "s3"), "aws4_request");
const signature = createHmac("sha256", key).update(toSign).digest("hex");
const req = request(
  {
    host: url.hostname,
    port: url.port || 80,
    path: "/",
    method: "GET",
    timeout: 3000,
    headers: {
      host: url.host,
      "x-amz-date": amzDate,
      "x-amz-content-sha256": payload,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
    },
  },
  (res) => {
    res.resume();
    res.on("end", () => process.exit(res.statusCode === 200 ? 0 : 1));
  },
);
req.on("error", () => process.exit(2));
req.on("timeout", () => req.destroy(new Error("timeout")));
req.end();
