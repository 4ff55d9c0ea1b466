import { describeFs } from "@fusio/conformance";
import { OpfsFs } from "@fusio/opfs";
import { serveSuite } from "../../src/worker-suite.ts";

// The suite itself runs here, in the worker, so every call it makes goes through sync access handles.
await serveSuite((api) =>
  describeFs(
    "OpfsFs in a dedicated worker",
    {
      create: () => new OpfsFs(),
      capabilities: {
        link: false,
        copy: true,
        cas: true,
        directories: true,
        visibleBeforeClose: true,
        sync: ["data", "all"],
      },
    },
    api,
  ),
);
