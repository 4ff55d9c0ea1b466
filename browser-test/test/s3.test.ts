import { describeFs } from "@fusio/conformance";
import { describe, expect, it } from "vitest";
import { s3Fs } from "../src/remote.ts";

// S3Fs with its default configuration in the page (fetch; the bucket has the README's CORS rule).
const PART_SIZE = 8 * 1024 * 1024; // the default

describeFs(
  "S3Fs in Chromium (Ceph RGW, default configuration)",
  {
    create: () => s3Fs(),
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: false, sync: ["data"] },
    overrides: {
      // Above one part, so the large-file tests go through the multipart writer and UploadPartCopy append.
      largeSize: 2 * PART_SIZE + 12_345,
      timeout: 120_000,
    },
  },
  { describe, it, expect },
);
