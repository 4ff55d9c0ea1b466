import { FusioError } from "@fusio/core";
import { describe, expect, inject, it } from "vitest";
import { s3Fs } from "../src/remote.ts";

// Ceph RGW answers a bad signature with a 403 that carries no CORS headers, so the browser hides
// it and fetch throws "Failed to fetch": the error says CORS or the network, and which origin.
describe("a request the browser refuses", () => {
  it("rejects Io naming CORS, the network and the server's origin", async () => {
    const fs = s3Fs({
      credentials: { accessKeyId: inject("s3").accessKeyId, secretAccessKey: "not-the-secret" },
      retry: false,
    });
    const error = await fs.stat("any/key").catch((caught: unknown) => caught);
    expect(FusioError.is(error, "Io")).toBe(true);
    const message = (error as FusioError).message;
    expect(message).toContain("CORS");
    expect(message).toContain("network");
    expect(message).toContain(new URL(inject("s3").endpoint).origin);
    expect(message).toContain(location.origin);
    expect(message).not.toContain("not-the-secret");
  });
});
