import { DenoHttpClient } from "@fusio/deno";
import { describeHttpClient } from "@fusio-internal/test-support/http-client-suite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describeHttpClient(
  "DenoHttpClient",
  { create: (options) => new DenoHttpClient(options), rawBodies: true },
  { describe, it, expect, beforeEach, afterEach },
);
