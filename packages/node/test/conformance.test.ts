import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFs } from "@fusio/conformance";
import { NodeFs } from "@fusio/node";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "fusio-node-conformance-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeFs(
  "NodeFs",
  {
    create: () => new NodeFs({ root }),
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
