import type { CasFs } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import { azureFs, s3Fs, uniquePrefix } from "../src/remote.ts";

const FIRST = "first version";
const SECOND = "the second, longer version";
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

// The browser's HTTP cache would answer the second reads (fresh by the Last-Modified heuristic)
// with the first bytes and tag; the fetch client asks for no-store, so every read goes to the server.
describe.each([
  ["S3 (Ceph RGW)", (): CasFs => s3Fs(), commands.overwriteS3Object],
  ["Azure (Azurite)", (): CasFs => azureFs(), commands.overwriteAzureBlob],
])("an object overwritten from Node between two reads in the page, on %s", (_name, create, overwrite) => {
  it("is read fresh: new bytes, size and tag", async () => {
    const fs = create();
    const key = `${uniquePrefix("fresh")}/object.txt`;
    await overwrite(key, FIRST);
    try {
      const reads = async () => {
        const file = await fs.open(key);
        try {
          return {
            size: (await fs.stat(key)).size,
            whole: text(await file.readToEndAt(0)),
            range: text(await file.readExactAt(new Uint8Array(6), 4)),
            loaded: await fs.loadWithTag(key),
          };
        } finally {
          await file.close();
        }
      };
      const before = await reads();
      expect(before).toMatchObject({ size: FIRST.length, whole: FIRST, range: "t vers" });
      expect(text(before.loaded?.data)).toBe(FIRST);

      await overwrite(key, SECOND);

      const after = await reads();
      expect(after).toMatchObject({ size: SECOND.length, whole: SECOND, range: "second" });
      expect(text(after.loaded?.data)).toBe(SECOND);
      expect(after.loaded?.tag).not.toBe(before.loaded?.tag);
    } finally {
      await fs.remove(key);
    }
  });
});
