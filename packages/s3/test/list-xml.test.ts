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

// Pages laid out every way a server may send them, checked against what they were built from:
// the fast path (one run of entries in S3's field order) and the field-by-field one must agree.
describe("parseListPage on generated layouts", () => {
  const xmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  interface Layout {
    /** Page-level fields before the entries (RGW) or after them (AWS). */
    fieldsFirst: boolean;
    /** Where the common prefixes go: before the entries, after them, or between two of them. */
    prefixes: "before" | "after" | "between";
    /** Entry fields in S3's order, with checksum fields, or shuffled (Size first). */
    fields: "s3" | "checksums" | "shuffled";
    urlEncoded: boolean;
    truncated: boolean;
  }
  const objects = Array.from({ length: 40 }, (_, i) => ({
    key: `p/${i % 3 === 0 ? "a&b <c>" : "k"}+${i} é`,
    size: i * 7,
    etag: i % 5 === 0 ? `"${i}-multi&part"` : `"${i.toString(16).padStart(32, "0")}"`,
    lastModified: new Date(Date.UTC(2026, 10, 26, 9, i)),
  }));
  const prefixes = ["p/dir one/", "p/x&y/"];
  function page(layout: Layout): string {
    const text = (value: string) => xmlEscape(layout.urlEncoded ? encodeURIComponent(value) : value);
    const entry = (o: (typeof objects)[number]) => {
      const key = `<Key>${text(o.key)}</Key>`;
      const modified = `<LastModified>${o.lastModified.toISOString()}</LastModified>`;
      const etag = `<ETag>${xmlEscape(o.etag)}</ETag>`;
      const size = `<Size>${o.size}</Size>`;
      const rest = "<Owner><ID>o</ID><DisplayName>d</DisplayName></Owner><StorageClass>STANDARD</StorageClass>";
      const body =
        layout.fields === "shuffled"
          ? size + etag + key + modified
          : key +
            modified +
            etag +
            (layout.fields === "checksums"
              ? "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>"
              : "") +
            size;
      return `<Contents>${body}${rest}</Contents>`;
    };
    const common = prefixes
      .map((prefix) => `<CommonPrefixes><Prefix>${text(prefix)}</Prefix></CommonPrefixes>`)
      .join("");
    const fields =
      `<Name>b</Name><Prefix>p/</Prefix><KeyCount>42</KeyCount><IsTruncated>${layout.truncated}</IsTruncated>` +
      (layout.urlEncoded ? "<EncodingType>url</EncodingType>" : "") +
      (layout.truncated ? "<NextContinuationToken>tok&amp;en</NextContinuationToken>" : "");
    const entries = objects.map(entry);
    if (layout.prefixes === "between") entries.splice(20, 0, common);
    const body = `${layout.prefixes === "before" ? common : ""}${entries.join("")}${layout.prefixes === "after" ? common : ""}`;
    return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${
      layout.fieldsFirst ? fields + body : body + fields
    }</ListBucketResult>\n`;
  }
  const layouts: Layout[] = [];
  for (const fieldsFirst of [true, false])
    for (const where of ["before", "after", "between"] as const)
      for (const fields of ["s3", "checksums", "shuffled"] as const)
        for (const urlEncoded of [false, true])
          for (const truncated of [false, true])
            layouts.push({ fieldsFirst, prefixes: where, fields, urlEncoded, truncated });

  it.each(layouts)("%o", (layout) => {
    const parsed = parseListPage(page(layout), context);
    expect(parsed.objects).toEqual(objects);
    expect(parsed.prefixes).toEqual(prefixes);
    expect(parsed.nextToken).toBe(layout.truncated ? "tok&en" : undefined);
  });
});
