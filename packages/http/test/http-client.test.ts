import { FetchHttpClient } from "@fusio/http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeHttpClient } from "./http-client-suite.ts";

// Under Node: redirects returned (as Bun and Deno configure it); Node's fetch decodes any
// `content-encoding` the server sends anyway.
describeHttpClient(
  "FetchHttpClient (the shared suite)",
  { create: (options) => new FetchHttpClient({ redirect: "manual", ...options }), rawBodies: false },
  { describe, it, expect, beforeEach, afterEach },
);
