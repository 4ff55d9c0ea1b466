import { FetchHttpClient } from "@fusio/http";
import { describeHttpClient } from "@fusio-internal/test-support/http-client-suite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Under Node: redirects returned (as Bun and Deno configure it); Node's fetch decodes any
// `content-encoding` the server sends anyway.
describeHttpClient(
  "FetchHttpClient (the shared suite)",
  { create: (options) => new FetchHttpClient({ redirect: "manual", ...options }), rawBodies: false },
  { describe, it, expect, beforeEach, afterEach },
);

// The same behaviour with the stall timeouts of all requests on one timer of the client (as
// BunHttpClient and DenoHttpClient run them).
describeHttpClient(
  "FetchHttpClient with a shared timer (the shared suite)",
  {
    create: (options) => new FetchHttpClient({ redirect: "manual", sharedTimer: true, ...options }),
    rawBodies: false,
  },
  { describe, it, expect, beforeEach, afterEach },
);
