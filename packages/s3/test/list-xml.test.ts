import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseListPage } from "../src/internal/list-xml.ts";

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const context = { op: "list", backend: "s3" };

// Recorded from Ceph RGW: keys a, a2/x, "b c/d", "b c/e", é/1, "x&y<z>", z under rec/list/.
describe("parseListPage on recorded ListObjectsV2 responses", () => {
  it("page 1 with a delimiter: objects, common prefixes and the continuation token", () => {
    const page = parseListPage(fixture("list-page1.xml"), context);
    expect(page.objects.map((object) => [object.key, object.size])).toEqual([["rec/list/a", 1]]);
    expect(page.objects[0]?.etag).toBe('"0cc175b9c0f1b6a831c399e269772661"');
    expect(page.objects[0]?.lastModified).toBeInstanceOf(Date);
    expect(page.prefixes).toEqual(["rec/list/a2/", "rec/list/b c/"]);
    expect(page.nextToken).toBe("rec/list/b c/");
  });

  it("page 2: the rest, entities decoded, no token", () => {
    const page = parseListPage(fixture("list-page2.xml"), context);
    expect(page.objects.map((object) => object.key)).toEqual(["rec/list/x&y<z>", "rec/list/z"]);
    expect(page.prefixes).toEqual(["rec/list/é/"]);
    expect(page.nextToken).toBe(undefined);
  });

  it("recursive: every key in order", () => {
    const page = parseListPage(fixture("list-recursive.xml"), context);
    expect(page.objects.map((object) => object.key.slice("rec/list/".length))).toEqual([
      "a",
      "a2/x",
      "b c/d",
      "b c/e",
      "x&y<z>",
      "z",
      "é/1",
    ]);
    expect(page.prefixes).toEqual([]);
  });

  it("url encoding-type is decoded; non-list documents are rejected", () => {
    const page = parseListPage(
      `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>a%20b%2Bc</Key><Size>1</Size></Contents></ListBucketResult>`,
      context,
    );
    expect(page.objects[0]?.key).toBe("a b+c");
    expect(() => parseListPage("<Error><Code>x</Code></Error>", context)).toThrow();
    expect(() => parseListPage("garbage", context)).toThrow();
  });

  it("a cut-off page is a retryable Remote error; Owner and other nested fields are skipped", () => {
    let error: unknown;
    try {
      parseListPage("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a</Key>", context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ kind: "Remote", retryable: true });
    const page = parseListPage(
      "<ListBucketResult><Contents><Key>k&amp;1</Key><Owner><ID>o</ID></Owner><Size>7</Size></Contents><KeyCount>1</KeyCount></ListBucketResult>",
      context,
    );
    expect(page.objects).toEqual([{ key: "k&1", size: 7, etag: undefined, lastModified: undefined }]);
  });
});
