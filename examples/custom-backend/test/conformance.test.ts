import { describeFs } from "@fusio/conformance";
import { describe, expect, it } from "vitest";
import { KvFs } from "../src/kv-fs.ts";
import { MapKv } from "../src/my-kv.ts";

describeFs(
  "KvFs",
  {
    create: () => new KvFs(new MapKv(), "test"),
    capabilities: { link: false, copy: true, cas: false, directories: false, visibleBeforeClose: false, sync: [] },
  },
  { describe, it, expect },
);
