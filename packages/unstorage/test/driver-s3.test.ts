// The driver-behaviour suite on fusioDriver over S3Fs, against a real S3 server (the Ceph RGW
// that the shared test setup starts, or S3_ENDPOINT). Each test gets its own key prefix as the
// driver's base, so tests do not see each other and a shared bucket is left as it was.
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { fusioDriver } from "@fusio/unstorage";
import { inject } from "vitest";
import { describeDriver } from "./driver-suite.ts";

const server = inject("s3");
const fs = new S3Fs({
  bucket: server.bucket,
  region: server.region,
  endpoint: server.endpoint,
  credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  ...(server.cephPacific && { compat: CEPH_PACIFIC_COMPAT }),
});
const run = `unstorage-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
let count = 0;

// S3 reports size and Last-Modified for every object: native meta like the fs driver's.
describeDriver("fusioDriver(S3Fs)", { create: () => fusioDriver(fs, { base: `${run}/${count++}` }), nativeMeta: true });
