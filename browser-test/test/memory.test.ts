import { describeFs } from "@fusio/conformance";
import { MemoryFs } from "@fusio/memory";
import { describe, expect, it } from "vitest";

describeFs(
  "MemoryFs in Chromium",
  {
    create: () => new MemoryFs(),
    capabilities: { link: false, copy: true, cas: true, directories: false, visibleBeforeClose: true, sync: [] },
  },
  { describe, it, expect },
);
