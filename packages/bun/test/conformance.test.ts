import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BunFs } from "@fusio/bun";
import { describeFs } from "@fusio/conformance";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "fusio-bun-conformance-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeFs(
  "BunFs",
  {
    create: () => new BunFs({ root }),
    capabilities: {
      link: true,
      copy: true,
      cas: true,
      directories: true,
      visibleBeforeClose: true,
      sync: ["data", "all"],
    },
  },
  { describe, it, expect },
);
