// The parsers of the service's answers, fed random and mutated bodies and headers: each returns
// a valid value or throws a FusioError, never a raw exception or an invalid size.
import { readFileSync } from "node:fs";
import { type ErrorContext, FusioError, type HttpResponse } from "@fusio/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentLength, dateOf, parseContentRange } from "../src/internal/answer.ts";
import { azureError } from "../src/internal/errors.ts";
import { readListPage } from "../src/internal/list.ts";
import type { ListPage } from "../src/internal/list-scan.ts";
import { readMetadataPage } from "../src/internal/list-xml.ts";
import { checkRange } from "../src/internal/read.ts";

const context: ErrorContext = { op: "test", backend: "azure" };
const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

/** What servers get wrong: numbers, escapes, encodings, structure. */
const NASTY = [
  "-1",
  "NaN",
  "1e20",
  "1.5",
  "9007199254740993",
  "",
  "&#x110000;",
  "&#99999999999;",
  "&#0;",
  "&amp",
  "%E0%A4%A",
  "%",
  "\uFFFD",
  '<Name Encoded="true">%ZZ</Name>',
  "<Blob>",
  "</Blob>",
  "<BlobPrefix><Name>x</Name></BlobPrefix>",
  "<Content-Length>-5</Content-Length>",
  "<Content-Length>1e300</Content-Length>",
  "<Last-Modified>not a date</Last-Modified>",
  "<NextMarker>",
  "</EnumerationResults>",
  "<![CDATA[",
  "]]>",
  "<?xml",
  "<!--",
];

/** A valid body with random cuts and insertions of {@link NASTY} pieces or random text. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat({ max: base.length }),
    fc.nat({ max: 20 }),
    fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })),
  );
  return fc.array(edit, { maxLength: 6 }).map((edits) => {
    let out = base;
    for (const [at, cut, insert] of edits) {
      const position = Math.min(at, out.length);
      out = out.slice(0, position) + insert + out.slice(position + cut);
    }
    return out;
  });
}

const bodies = (...bases: string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength: 200 }), ...bases.map((base) => mutated(base)));

/** Runs `parse`: a value that passes `valid`, or a FusioError; anything else fails the property. */
function outcome<T>(parse: () => T, valid: (value: T) => boolean): boolean {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    return FusioError.is(error);
  }
  return valid(value);
}

const isSize = (size: unknown): boolean => typeof size === "number" && Number.isSafeInteger(size) && size >= 0;

function validPage(page: ListPage): boolean {
  return (
    (page.nextMarker === undefined || typeof page.nextMarker === "string") &&
    page.items.every(
      (item) =>
        typeof item.name === "string" &&
        isSize(item.size) &&
        (item.lastModified === undefined || !Number.isNaN(item.lastModified.getTime())),
    )
  );
}

const headers = (values: Record<string, string | undefined>): HttpResponse["headers"] => ({
  get: (name: string): string | null => values[name] ?? null,
  forEach: (callback: (value: string, name: string) => void): void => {
    for (const [name, value] of Object.entries(values)) if (value !== undefined) callback(value, name);
  },
});

const headerValues = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 30 }), fc.nat().map(String));

describe("the answer parsers take anything a server sends", () => {
  const delimited = fixture("list-delimited-azurite.xml");
  const metadata = fixture("list-metadata-azurite.xml");

  it("List Blobs, scanned: a page with safe sizes, or FusioError", () => {
    fc.assert(
      fc.property(bodies(delimited, metadata), (xml) => outcome(() => readListPage(xml, context), validPage)),
      { numRuns: 2000 },
    );
  });

  it("List Blobs with metadata, parsed as a tree: a page with safe sizes, or FusioError", () => {
    fc.assert(
      fc.property(bodies(metadata, delimited), (xml) => outcome(() => readMetadataPage(xml, context), validPage)),
      { numRuns: 2000 },
    );
  });

  it("error responses: always a FusioError, with a short message", () => {
    const error = fixture("error-blob-not-found-azurite.xml");
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        bodies(error),
        fc.record({ "x-ms-error-code": fc.option(headerValues, { nil: undefined }) }),
        (status, body, values) => {
          const result = azureError(status, headers(values), body, context);
          return FusioError.is(result) && result.message.length < 600;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("blob properties: a safe size or FusioError; a valid date or none", () => {
    fc.assert(
      fc.property(fc.option(headerValues, { nil: undefined }), headerValues, (length, modified) => {
        const date = dateOf(modified);
        return (
          outcome(() => contentLength(headers({ "content-length": length }), context), isSize) &&
          (date === undefined || !Number.isNaN(date.getTime()))
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("Content-Range: consistent numbers or undefined; a ranged answer checked or FusioError", async () => {
    const ranges = fc.oneof(
      headerValues,
      fc
        .tuple(fc.oneof(fc.nat(), headerValues), fc.oneof(fc.nat(), headerValues), fc.oneof(fc.nat(), headerValues))
        .map(([start, end, total]) => `bytes ${start}-${end}/${total}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.option(ranges, { nil: undefined }),
        fc.option(headerValues, { nil: undefined }),
        fc.constantFrom(200, 206, 416),
        fc.nat({ max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        async (range, length, status, pos, size) => {
          const parsed = parseContentRange(range ?? null);
          if (
            parsed !== undefined &&
            !(
              isSize(parsed.start) &&
              isSize(parsed.end) &&
              (parsed.start <= parsed.end || (parsed.end + 1 === parsed.start && parsed.total === parsed.start)) &&
              (parsed.total === undefined || (isSize(parsed.total) && parsed.end < parsed.total))
            )
          ) {
            return false;
          }
          const response: HttpResponse = {
            status,
            headers: headers({ "content-range": range, "content-length": length }),
            body: (async function* () {})(),
          };
          try {
            await checkRange(response, pos, size, context);
          } catch (error) {
            return FusioError.is(error);
          }
          // Accepted: exactly the bytes asked for.
          return status === 206 && parsed?.start === pos && parsed.end === pos + size - 1;
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("what the property tests stand on", () => {
  it("the fixtures parse as they are", () => {
    expect(readListPage(fixture("list-delimited-azurite.xml"), context).items.length).toBe(2);
    expect(() =>
      readListPage(
        "<EnumerationResults><Blobs><Blob><Name>a</Name><Properties><Content-Length>-1</Content-Length></Properties></Blob></Blobs></EnumerationResults>",
        context,
      ),
    ).toThrow(FusioError);
  });
});
