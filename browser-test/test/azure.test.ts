import { describeFs } from "@fusio/conformance";
import { describe, expect, it } from "vitest";
import { azureFs } from "../src/remote.ts";

// AzureBlobFs with its default configuration in the page (fetch; Azurite has the README's CORS rule).
const BLOCK_SIZE = 8 * 1024 * 1024; // the default

describeFs(
  "AzureBlobFs in Chromium (Azurite, default configuration)",
  {
    create: () => azureFs(),
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: false, sync: [] },
    // Above one block, so the large round trip stages blocks and commits a block list.
    overrides: { largeSize: 2 * BLOCK_SIZE + 12_345, timeout: 120_000 },
  },
  { describe, it, expect },
);
