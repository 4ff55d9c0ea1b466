import { describeFs } from "@fusio/conformance";
import { describe, expect, it } from "vitest";
import { testFs } from "./helpers.ts";

const PART_SIZE = 5 * 1024 * 1024;

describeFs(
  "S3Fs on a real S3 server",
  {
    create: () => testFs({ partSize: PART_SIZE, concurrency: 3 }),
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: false, sync: ["data"] },
    overrides: {
      // Above one part, so the large-file tests go through the multipart writer and UploadPartCopy append.
      largeSize: 2 * PART_SIZE + 12_345,
      timeout: 120_000,
    },
  },
  { describe, it, expect },
);
