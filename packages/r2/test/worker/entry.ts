// The worker the in-worker conformance run bundles: it imports @fusio/r2 and the suite as a
// Workers app would, and answers `GET /tests` (the test names) and `GET /run?name=...` (one
// result, as JSON). test/worker.test.ts drives it over Miniflare's dispatchFetch.
import { describeFs } from "@fusio/conformance";
import { R2BindingFs, type R2BucketLike } from "@fusio/r2";
import { CAPABILITIES, OVERRIDES, PART_SIZE } from "../__fixtures__/settings.ts";
import { createHarness } from "./harness.ts";

interface Env {
  BUCKET: R2BucketLike;
}

const harness = createHarness();
// Bindings arrive with each request; tests run one per request, so this is the current one.
let env: Env | undefined;

describeFs(
  "R2BindingFs (inside a worker)",
  {
    create: () => new R2BindingFs((env as Env).BUCKET, { partSize: PART_SIZE }),
    capabilities: CAPABILITIES,
    overrides: OVERRIDES,
  },
  harness.api,
);

export default {
  async fetch(request: Request, current: Env): Promise<Response> {
    env = current;
    const url = new URL(request.url);
    if (url.pathname === "/tests") return Response.json(harness.names());
    if (url.pathname === "/run") return Response.json(await harness.run(url.searchParams.get("name") ?? ""));
    return new Response("not found", { status: 404 });
  },
};
