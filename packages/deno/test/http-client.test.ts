import { DenoHttpClient } from "@fusio/deno";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeHttpClient } from "../../http/test/http-client-suite.ts";

describeHttpClient(
  "DenoHttpClient",
  { create: (options) => new DenoHttpClient(options), rawBodies: true },
  { describe, it, expect, beforeEach, afterEach },
);
