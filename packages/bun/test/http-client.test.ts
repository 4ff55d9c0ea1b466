import { BunHttpClient } from "@fusio/bun";
import { describeHttpClient } from "@fusio-internal/test-support/http-client-suite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describeHttpClient(
  "BunHttpClient",
  { create: (options) => new BunHttpClient(options), rawBodies: true },
  { describe, it, expect, beforeEach, afterEach },
);
