import { readFileSync } from "node:fs";
import { Path } from "@fusio/core";
import { describe, expect, it } from "vitest";
import { quoteEtag } from "../src/internal/etag.ts";
import { ListOrder } from "../src/internal/list-order.ts";
import { type ListedItem, scanListPage } from "../src/internal/list-scan.ts";
import { parseListPage } from "../src/internal/list-xml.ts";

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("List Blobs XML (recorded from Azurite)", () => {
  it("reads blobs, prefixes, sizes, quoted ETags and the next marker of a delimited page", () => {
    const page = parseListPage(fixture("list-delimited-azurite.xml"));
    expect(page.items.map((item) => [item.name, item.isPrefix, item.size])).toEqual([
      ["dir/a2/", true, 0],
      ["dir/a", false, 5],
    ]);
    expect(page.items[1]?.etag).toBe('"0x1D78BC9054F1920"');
    expect(page.items[1]?.lastModified?.toISOString()).toBe("2026-11-26T03:57:58.000Z");
    expect(page.nextMarker).toBe("dir/a2/x");
  });

  it("reads properties, metadata and entity-escaped names", () => {
    const page = parseListPage(fixture("list-metadata-azurite.xml"));
    expect(page.items.map((item) => item.name)).toEqual(["dir/a", "dir/a2/x", "dir/b&<x>", "dir/c.txt", "dir/c/d"]);
    expect(page.items[0]?.metadata).toEqual({ k: "v" });
    expect(page.items[0]?.contentType).toBe("text/plain");
    expect(page.items[1]?.metadata).toBe(undefined);
    expect(page.nextMarker).toBe(undefined);
  });

  it("decodes names the service sent percent-encoded (Encoded=true)", () => {
    const xml =
      '<?xml version="1.0"?><EnumerationResults><Blobs><Blob><Name Encoded="true">a%01b</Name><Properties>' +
      '<Content-Length>3</Content-Length><Etag>"0x1"</Etag></Properties></Blob></Blobs><NextMarker /></EnumerationResults>';
    const page = parseListPage(xml);
    expect(page.items[0]?.name).toBe("a\u0001b");
    expect(page.items[0]?.etag).toBe('"0x1"');
  });

  it("quoteEtag quotes bare ETags and keeps quoted and weak ones", () => {
    expect(quoteEtag("0x8D")).toBe('"0x8D"');
    expect(quoteEtag('"0x8D"')).toBe('"0x8D"');
    expect(quoteEtag('W/"x"')).toBe('W/"x"');
    expect(quoteEtag(null)).toBe(undefined);
  });
});

describe("scanListPage (the fast path of plain listings)", () => {
  const plain = (page: ReturnType<typeof parseListPage>) => ({
    nextMarker: page.nextMarker,
    items: page.items.map(({ name, isPrefix, size, etag, lastModified }) => ({
      name,
      isPrefix,
      size,
      etag,
      lastModified,
    })),
  });

  it("reads the recorded pages exactly as the full parser does", () => {
    for (const name of ["list-delimited-azurite.xml", "list-metadata-azurite.xml"]) {
      expect(scanListPage(fixture(name))).toEqual(plain(parseListPage(fixture(name))));
    }
  });

  it("handles interleaved prefixes, encoded names, empty elements and similar tag names", () => {
    const xml =
      '<?xml version="1.0"?><EnumerationResults><Prefix>p/</Prefix><Blobs>' +
      "<Blob><Name>p/a&amp;b</Name><Properties><Content-Length>3</Content-Length><Content-Type /><Etag>0x1</Etag></Properties></Blob>" +
      "<BlobPrefix><Name>p/c/</Name></BlobPrefix>" +
      '<Blob><Name Encoded="true">p/d%01</Name><Properties><Last-Modified>Thu, 26 Nov 2026 03:57:58 GMT</Last-Modified><Content-Length>0</Content-Length></Properties></Blob>' +
      "</Blobs><NextMarker>2!marker</NextMarker></EnumerationResults>";
    expect(scanListPage(xml)).toEqual(plain(parseListPage(xml)));
    expect(scanListPage(xml).items.map((item) => item.name)).toEqual(["p/a&b", "p/c/", "p/d\u0001"]);
    expect(scanListPage(xml).nextMarker).toBe("2!marker");
    const empty = '<?xml version="1.0"?><EnumerationResults><Blobs /><NextMarker /></EnumerationResults>';
    expect(scanListPage(empty)).toEqual({ items: [], nextMarker: undefined });
    expect(() => scanListPage("<Error><Code>x</Code></Error>")).toThrow();
  });
});

describe("ListOrder", () => {
  const blob = (name: string): ListedItem => ({ name, isPrefix: false, size: 0 });
  const dir = (name: string): ListedItem => ({ name, isPrefix: true, size: 0 });
  const run = (prefix: string, items: ListedItem[]): string[] => {
    const order = new ListOrder(prefix);
    const out = items.flatMap((item) => order.push(item));
    out.push(...order.end());
    return out.map((item) => item.name);
  };

  it("moves a directory before the names that extend it with a character below '/'", () => {
    // Service order: c.txt < c/ ; fusio order: c (dir) < c.txt.
    const service = [blob("p/a"), dir("p/a2/"), blob("p/b"), blob("p/c.txt"), dir("p/c/")];
    expect(run("p/", service)).toEqual(["p/a", "p/a2/", "p/b", "p/c/", "p/c.txt"]);
  });

  it("yields items as soon as no later directory can precede them", () => {
    const order = new ListOrder("p/");
    expect(order.push(blob("p/a")).map((item) => item.name)).toEqual(["p/a"]);
    expect(order.push(blob("p/c-1"))).toEqual([]);
    expect(order.push(blob("p/c.txt"))).toEqual([]);
    expect(order.push(dir("p/c/")).map((item) => item.name)).toEqual(["p/c/", "p/c-1", "p/c.txt"]);
    expect(order.push(blob("p/d")).map((item) => item.name)).toEqual(["p/d"]);
    expect(order.end()).toEqual([]);
  });

  it("drops a directory repeated across pages", () => {
    expect(run("", [dir("a/"), dir("a/"), blob("b")])).toEqual(["a/", "b"]);
  });

  it("agrees with Path.compare on awkward names", () => {
    const names = ["x", "x!", "x y", "x-", "x.", "x0", "xé", "x😀", "y"];
    const items = [...names.map(blob), dir("x/"), dir("x-/")].sort((a, b) => Path.compare(a.name, b.name));
    const out = run("", items);
    const expected = [...names, "x", "x-"]
      .map((name, i) => ({ name, dir: i >= names.length }))
      .sort((a, b) => Path.compare(a.name, b.name) || (a.dir ? 1 : -1)) // a file before a directory of the same name
      .map((entry) => (entry.dir ? `${entry.name}/` : entry.name));
    expect(out).toEqual(expected);
  });
});
