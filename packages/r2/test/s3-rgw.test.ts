import { describeFs } from "@fusio/conformance";
import { r2S3Options } from "@fusio/r2/s3";
import { CEPH_PACIFIC_COMPAT, S3Fs } from "@fusio/s3";
import { describe, expect, inject, it } from "vitest";

// The r2Fs option set (region `auto`, path style, equal parts incl. UploadPartCopy, header
// filter) through the whole conformance suite, on a real S3 server standing in for R2.
const server = inject("s3");
const PART_SIZE = 5 * 1024 * 1024;

describeFs(
  "r2Fs options on Ceph RGW (a stand-in for R2's S3 API)",
  {
    create: () => {
      const options = r2S3Options({
        accountId: "stand-in",
        endpoint: server.endpoint,
        bucket: server.bucket,
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
        partSize: PART_SIZE,
        concurrency: 3,
      });
      // Only what RGW Pacific itself needs is added (see CEPH_PACIFIC_COMPAT); R2's rules stay.
      const compat = { ...options.compat, ...(server.cephPacific ? CEPH_PACIFIC_COMPAT : {}) };
      return new S3Fs({ ...options, compat });
    },
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: false, sync: ["data"] },
    // Above two parts and not a multiple of one: appends copy whole parts and re-upload the rest.
    overrides: { largeSize: 2 * PART_SIZE + 12_345, timeout: 120_000 },
  },
  { describe, it, expect },
);
