import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeFs } from "@fusio/conformance";
import { DenoFs } from "@fusio/deno";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "fusio-deno-conformance-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeFs(
  "DenoFs",
  {
    create: () => new DenoFs({ root }),
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
