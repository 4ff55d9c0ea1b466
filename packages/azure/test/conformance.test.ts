import { describeFs } from "@fusio/conformance";
import { describe, expect, it } from "vitest";
import { azureFs } from "./helpers.ts";

// A small block size so that the large round trip (above it) stages blocks and commits a block
// list, and the append test splices a multi-block blob.
const blockSize = 1024 * 1024;

describeFs(
  "AzureBlobFs",
  {
    create: () => azureFs({ blockSize, concurrency: 3 }),
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: false, sync: [] },
    overrides: { largeSize: 3 * blockSize + 12_345, timeout: 60_000 },
  },
  { describe, it, expect },
);
