import { describeFs } from "@fusio/conformance";
import { OpfsFs } from "@fusio/opfs";
import { describe, expect, it } from "vitest";

// The page has no sync access handles: files are File snapshots and writable streams.
describeFs(
  "OpfsFs on the main thread",
  {
    create: () => new OpfsFs(),
    capabilities: { link: false, copy: true, cas: true, directories: true, visibleBeforeClose: false, sync: [] },
  },
  { describe, it, expect },
);
