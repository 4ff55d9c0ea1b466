import { BunHttpClient } from "@fusio/bun";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeHttpClient } from "../../http/test/http-client-suite.ts";

describeHttpClient(
  "BunHttpClient",
  { create: (options) => new BunHttpClient(options), rawBodies: true },
  { describe, it, expect, beforeEach, afterEach },
);
